#include "enhance/model_archive.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analysis/io/byte_order.h"

namespace acuity {
namespace {

// Zip record signatures and sizes (PKWARE APPNOTE 6.3).
constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;  // 22 bytes + comment
constexpr uint32_t kZip64Locator = 0x07064b50;           // 20 bytes
constexpr uint32_t kZip64EndOfCentralDirectory = 0x06064b50;
constexpr uint32_t kCentralEntry = 0x02014b50;  // 46 bytes + name + extra + comment
constexpr uint32_t kLocalHeader = 0x04034b50;   // 30 bytes + name + extra
constexpr size_t kMaxCommentBytes = 0xFFFF;
constexpr uint16_t kStored = 0;
constexpr uint16_t kZip64Extra = 0x0001;

class File {
 public:
  explicit File(const std::string& path) : in_(path, std::ios::binary) {
    if (in_) {
      in_.seekg(0, std::ios::end);
      size_ = uint64_t(in_.tellg());
    }
  }
  bool ok() const { return bool(in_); }
  uint64_t size() const { return size_; }
  // `n` bytes at `offset`, or "" when the file is shorter.
  std::string Read(uint64_t offset, size_t n) {
    if (offset > size_ || n > size_ - offset) return {};
    std::string out(n, '\0');
    in_.clear();
    in_.seekg(std::streamoff(offset));
    in_.read(out.data(), std::streamsize(n));
    return in_.gcount() == std::streamsize(n) ? out : std::string();
  }
  // CRC-32 of `n` bytes at `offset`, read in 1 MiB pieces; nullopt when short.
  std::optional<uint32_t> Crc(uint64_t offset, uint64_t n) {
    if (offset > size_ || n > size_ - offset) return std::nullopt;
    uLong crc = crc32(0L, Z_NULL, 0);
    std::vector<char> buffer(1 << 20);
    in_.clear();
    in_.seekg(std::streamoff(offset));
    while (n > 0) {
      const size_t piece = size_t(std::min<uint64_t>(n, buffer.size()));
      in_.read(buffer.data(), std::streamsize(piece));
      if (in_.gcount() != std::streamsize(piece)) return std::nullopt;
      crc = crc32(crc, reinterpret_cast<const Bytef*>(buffer.data()), uInt(piece));
      n -= piece;
    }
    return uint32_t(crc);
  }

 private:
  std::ifstream in_;
  uint64_t size_ = 0;
};

struct CentralDirectory {
  uint64_t offset = 0, entries = 0;
};

std::optional<CentralDirectory> FindCentralDirectory(File& file) {
  const uint64_t tail_bytes = std::min<uint64_t>(file.size(), 22 + kMaxCommentBytes);
  const std::string tail = file.Read(file.size() - tail_bytes, size_t(tail_bytes));
  if (tail.size() < 22) return std::nullopt;
  for (size_t at = tail.size() - 22 + 1; at-- > 0;) {
    if (ReadLe32(tail, at) != kEndOfCentralDirectory) continue;
    CentralDirectory cd{ReadLe32(tail, at + 16), ReadLe16(tail, at + 10)};
    const uint64_t eocd = file.size() - tail_bytes + at;
    if (cd.offset != 0xFFFFFFFFu && cd.entries != 0xFFFFu) return cd;
    // Zip64: the locator just before points at the zip64 record.
    if (eocd < 20) return std::nullopt;
    const std::string locator = file.Read(eocd - 20, 20);
    if (locator.empty() || ReadLe32(locator, 0) != kZip64Locator) return std::nullopt;
    const std::string record = file.Read(ReadLe64(locator, 8), 56);
    if (record.empty() || ReadLe32(record, 0) != kZip64EndOfCentralDirectory) return std::nullopt;
    return CentralDirectory{ReadLe64(record, 48), ReadLe64(record, 32)};
  }
  return std::nullopt;
}

// The zip64 extra field's sizes and offset replace the 32-bit ones that
// are 0xFFFFFFFF, in this order.
void ApplyZip64(std::string_view extra, uint64_t& uncompressed, uint64_t& compressed, uint64_t& local) {
  size_t at = 0;
  while (at + 4 <= extra.size()) {
    const uint16_t id = ReadLe16(extra, at), n = ReadLe16(extra, at + 2);
    if (id == kZip64Extra) {
      size_t v = at + 4;
      for (uint64_t* field : {&uncompressed, &compressed, &local}) {
        if (*field != 0xFFFFFFFFu || v + 8 > at + 4 + n || v + 8 > extra.size()) continue;
        *field = ReadLe64(extra, v);
        v += 8;
      }
      return;
    }
    at += 4 + size_t(n);
  }
}

}  // namespace

absl::Status VerifyModelArchive(const std::string& path) {
  File file(path);
  if (!file.ok()) {
    if (errno == ENOENT) return absl::NotFoundError(absl::StrCat("no such model file: ", path));
    return absl::UnavailableError(absl::StrCat("cannot read the model file ", path, ": ", std::strerror(errno)));
  }
  auto damaged = [&](const std::string& why) {
    return absl::InvalidArgumentError(absl::StrCat("the model file ", path, " is damaged: ", why));
  };
  const std::optional<CentralDirectory> cd = FindCentralDirectory(file);
  // No zip directory at all (cut short, or not a zip): the loader says
  // what it is ("not a loadable TorchScript model"); what LibTorch cannot
  // see is damage inside a whole archive.
  if (!cd) return absl::OkStatus();
  uint64_t at = cd->offset;
  for (uint64_t i = 0; i < cd->entries; ++i) {
    const std::string entry = file.Read(at, 46);
    if (entry.empty() || ReadLe32(entry, 0) != kCentralEntry) return damaged("its table of contents is cut short");
    const uint16_t method = ReadLe16(entry, 10);
    const uint32_t crc = ReadLe32(entry, 16);
    uint64_t compressed = ReadLe32(entry, 20), uncompressed = ReadLe32(entry, 24);
    const uint16_t name_len = ReadLe16(entry, 28), extra_len = ReadLe16(entry, 30), comment_len = ReadLe16(entry, 32);
    uint64_t local = ReadLe32(entry, 42);
    const std::string name = file.Read(at + 46, name_len);
    ApplyZip64(file.Read(at + 46 + name_len, extra_len), uncompressed, compressed, local);
    at += 46 + uint64_t(name_len) + extra_len + comment_len;
    if (method != kStored) continue;  // TorchScript stores everything; the loader checks the rest
    const std::string header = file.Read(local, 30);
    if (header.empty() || ReadLe32(header, 0) != kLocalHeader)
      return damaged(absl::StrCat("entry '", name, "' is missing"));
    const uint64_t data = local + 30 + ReadLe16(header, 26) + ReadLe16(header, 28);
    const std::optional<uint32_t> got = file.Crc(data, uncompressed);
    if (!got) return damaged(absl::StrCat("entry '", name, "' is cut short"));
    if (*got != crc) return damaged(absl::StrCat("entry '", name, "' fails its CRC-32 check"));
  }
  return absl::OkStatus();
}

}  // namespace acuity
