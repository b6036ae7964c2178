#include "analysis/io/exiv2_ready.h"

#include <exception>
#include <mutex>

#include <exiv2/exiv2.hpp>

#include "analysis/io/acuity_record.h"

namespace acuity {
namespace {

// The lock Exiv2's XMP toolkit takes around its shared state (namespace
// registration): XmpParser::XmpLockFct.
void XmpLock(void* data, bool lock) {
  auto* mutex = static_cast<std::recursive_mutex*>(data);
  if (lock) {
    mutex->lock();
  } else {
    mutex->unlock();
  }
}

}  // namespace

void Exiv2Ready() {
  static std::once_flag once;
  std::call_once(once, [] {
    static std::recursive_mutex* const xmp_lock = new std::recursive_mutex();  // lives as long as Exiv2
    Exiv2::XmpParser::initialize(XmpLock, xmp_lock);
    try {
      Exiv2::XmpProperties::registerNs(kAcuityXmpNamespace, "acuity");
    } catch (const std::exception&) {  // registered already: fine
    }
  });
}

}  // namespace acuity
