// Exiv2's process-wide state, made ready once before any thread reads or
// writes metadata. Its XMP toolkit's initialize() is not thread-safe: two
// batch workers writing acuity's record (acuity_record.h) at the same moment
// crashed inside Exiv2::XmpParser::initialize (1 batch in about 10 of two
// 64-px photos at --jobs 2). Here it is initialised under a lock that Exiv2
// also takes when namespaces are registered later, and acuity's own XMP
// namespace is registered.
//
//   acuity::Exiv2Ready();  // before Exiv2::ImageFactory::open, XmpData, ...
//   auto image = Exiv2::ImageFactory::open(path);
#ifndef ACUITY_ANALYSIS_IO_EXIV2_READY_H_
#define ACUITY_ANALYSIS_IO_EXIV2_READY_H_

namespace acuity {

// Idempotent and safe from any thread; the first call does the work.
void Exiv2Ready();

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_EXIV2_READY_H_
