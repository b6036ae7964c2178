#include "viewer/textures.h"

#include <algorithm>
#include <chrono>

#include <GL/gl.h>

namespace acuity::viewer {
namespace {

// Uploads `pixels` (8-bit BGR/BGRA, any stride) as a new texture.
unsigned UploadTexture(const cv::Mat& pixels) {
  GLuint texture = 0;
  glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, GLint(pixels.step[0] / pixels.elemSize()));
  const bool alpha = pixels.channels() == 4;
  glTexImage2D(GL_TEXTURE_2D, 0, alpha ? GL_RGBA8 : GL_RGB8, pixels.cols, pixels.rows, 0, alpha ? GL_BGRA : GL_BGR,
               GL_UNSIGNED_BYTE, pixels.data);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  return texture;
}

ImTextureID Id(unsigned texture) { return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(texture)); }

bool Overlaps(const Rect& a, const Rect& b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

}  // namespace

TiledTexture::TiledTexture(std::shared_ptr<const DisplayImage> image) : image_(std::move(image)) {
  const cv::Mat& full = image_->full;
  for (int y = 0; y < full.rows; y += kTilePx)
    for (int x = 0; x < full.cols; x += kTilePx)
      tiles_.push_back({x, y, std::min(kTilePx, full.cols - x), std::min(kTilePx, full.rows - y)});
}

TiledTexture::~TiledTexture() {
  for (const Tile& t : tiles_)
    if (t.texture != 0) glDeleteTextures(1, &t.texture);
  if (reduced_ != 0) glDeleteTextures(1, &reduced_);
}

void TiledTexture::Upload(double budget_s) {
  const auto start = std::chrono::steady_clock::now();
  auto spent = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  if (reduced_ == 0) reduced_ = UploadTexture(image_->reduced);
  size_t done = 0;
  while (done < wanted_.size() && budget_s > 0 && (done == 0 || spent() < budget_s)) {
    Tile& t = tiles_[wanted_[done++]];
    if (t.texture == 0) t.texture = UploadTexture(image_->full(cv::Rect(t.x, t.y, t.width, t.height)));
  }
  wanted_.erase(wanted_.begin(), wanted_.begin() + done);
}

void TiledTexture::Draw(ImDrawList* draw, const Rect& dest, const Rect& clip, ImU32 tint) {
  if (image_->full.empty()) return;
  if (reduced_ == 0) {
    drawn_complete_ = false;
    return;
  }
  const double sx = dest.width / image_->full.cols, sy = dest.height / image_->full.rows;  // screen px per full px
  const bool use_full = sx > image_->reduced_scale * 1.01;
  std::vector<int> visible;
  bool missing = false;
  if (use_full) {
    for (int i = 0; i < int(tiles_.size()); ++i) {
      const Tile& t = tiles_[i];
      if (!Overlaps({dest.x + t.x * sx, dest.y + t.y * sy, t.width * sx, t.height * sy}, clip)) continue;
      visible.push_back(i);
      if (t.texture == 0) {
        missing = true;
        if (std::find(wanted_.begin(), wanted_.end(), i) == wanted_.end()) wanted_.push_back(i);
      }
    }
  }
  drawn_complete_ = drawn_complete_ && !missing;
  draw->PushClipRect(ImVec2(float(clip.x), float(clip.y)), ImVec2(float(clip.x + clip.width), float(clip.y + clip.height)),
                     true);
  if (!use_full || missing) {
    draw->AddImage(Id(reduced_), ImVec2(float(dest.x), float(dest.y)),
                   ImVec2(float(dest.x + dest.width), float(dest.y + dest.height)), ImVec2(0, 0), ImVec2(1, 1), tint);
  }
  for (int i : visible) {
    const Tile& t = tiles_[i];
    if (t.texture == 0) continue;
    const Rect r{dest.x + t.x * sx, dest.y + t.y * sy, t.width * sx, t.height * sy};
    draw->AddImage(Id(t.texture), ImVec2(float(r.x), float(r.y)), ImVec2(float(r.x + r.width), float(r.y + r.height)),
                   ImVec2(0, 0), ImVec2(1, 1), tint);
  }
  draw->PopClipRect();
}

TiledTexture& TextureCache::Get(const std::shared_ptr<const DisplayImage>& image) {
  auto& entry = entries_[image.get()];
  if (!entry.second) entry = {image, std::make_unique<TiledTexture>(image)};
  return *entry.second;
}

void TextureCache::BeginFrame() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.first.use_count() == 1) {
      it = entries_.erase(it);
    } else {
      it->second.second->BeginFrame();
      ++it;
    }
  }
}

void TextureCache::Upload(double budget_s) {
  const auto start = std::chrono::steady_clock::now();
  for (auto& [key, entry] : entries_) {
    const double left = budget_s - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    entry.second->Upload(std::max(0.0, left));
  }
}

bool TextureCache::FrameComplete() const {
  for (const auto& [key, entry] : entries_)
    if (!entry.second->drawn_complete()) return false;
  return true;
}

}  // namespace acuity::viewer
