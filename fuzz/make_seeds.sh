#!/usr/bin/env bash
# Regenerates the seed inputs of fuzz/corpus/ (committed; CI does not run
# this): tiny files of every layout each decoder reads, made with ImageMagick
# from scikit-image's photos, plus EXIF structures, ICC profiles (lcms2) and
# command-line texts. Regression inputs (corpus/*/regress-*) are kept.
#
#   fuzz/make_seeds.sh          # then: git add fuzz/corpus
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
DATA=/usr/lib/python3/dist-packages/skimage/data
C=corpus
for d in decode_jpeg decode_png decode_tiff decode_webp decode_gif decode_bmp decode_heif decode_avif decode_raw image_header exif icc target_spec parse_steps analyze; do
  mkdir -p "$C/$d"
  find "$C/$d" -type f ! -name 'regress-*' -delete
done
im() { convert "$@" 2>/dev/null; }
crop() { echo "$DATA/$1[$2]"; }  # photo, WxH+X+Y
COLOR=$(crop astronaut.png 16x16+200+100)
GRAY=$(crop camera.png 16x16+250+150)

# JPEG: baseline, gray, progressive, 4:2:2 / 4:4:4 / 4:1:1, restart markers, CMYK, density.
im "$COLOR" -strip -quality 75 "$C/decode_jpeg/rgb-420.jpg"
im "$GRAY" -strip -quality 60 "$C/decode_jpeg/gray.jpg"
im "$COLOR" -strip -interlace JPEG -quality 80 "$C/decode_jpeg/progressive.jpg"
im "$COLOR" -strip -sampling-factor 2x1 -quality 70 "$C/decode_jpeg/rgb-422.jpg"
im "$COLOR" -strip -sampling-factor 1x1 -quality 95 "$C/decode_jpeg/rgb-444.jpg"
im "$COLOR" -strip -sampling-factor 4x1 -quality 50 "$C/decode_jpeg/rgb-411.jpg"
im "$COLOR" -strip -define jpeg:restart-interval=1 -quality 40 "$C/decode_jpeg/restart.jpg"
im "$COLOR" -strip -colorspace CMYK -quality 70 "$C/decode_jpeg/cmyk.jpg"
im "$COLOR" -strip -units PixelsPerInch -density 300 -quality 85 "$C/decode_jpeg/density.jpg"
im "$COLOR" -strip -define jpeg:optimize-coding=true -define jpeg:arithmetic-coding=true "$C/decode_jpeg/arithmetic.jpg" || true

# PNG: every colour type and depth, palette with tRNS, interlaced, pHYs.
im "$GRAY" -strip -depth 8 "PNG8:$C/decode_png/palette.png"
im "$GRAY" -strip -threshold 50% -depth 1 -define png:color-type=0 "$C/decode_png/gray1.png"
im "$GRAY" -strip -depth 8 -define png:color-type=0 "$C/decode_png/gray8.png"
im "$GRAY" -strip -depth 16 -define png:color-type=0 "$C/decode_png/gray16.png"
im "$COLOR" -strip -depth 8 "PNG24:$C/decode_png/rgb8.png"
im "$COLOR" -strip -depth 16 "PNG48:$C/decode_png/rgb16.png"
im "$COLOR" -strip -alpha set -channel A -fx 'i/w' +channel "PNG32:$C/decode_png/rgba8.png"
im "$COLOR" -strip -alpha set -channel A -fx 'j/h' +channel "PNG64:$C/decode_png/rgba16.png"
im "$GRAY" -strip -alpha set -channel A -fx 'i/w' +channel -define png:color-type=4 "$C/decode_png/gray-alpha.png"
im "$COLOR" -strip -transparent "$(convert "$COLOR" -format '%[pixel:p{0,0}]' info:)" "PNG8:$C/decode_png/palette-trns.png"
im "$COLOR" -strip -interlace PNG "PNG24:$C/decode_png/interlaced.png"
im "$COLOR" -strip -units PixelsPerCentimeter -density 118.11 "PNG24:$C/decode_png/phys.png"

# TIFF: 8/16-bit, gray/RGB/RGBA, compressions, tiles, big-endian, and the
# layouts that fall back to OpenCV (palette, 1-bit, CMYK, planar).
im "$COLOR" -compress None "$C/decode_tiff/rgb8.tif"
im "$GRAY" -depth 16 -compress None "$C/decode_tiff/gray16.tif"
im "$COLOR" -alpha set -channel A -fx 'i/w' +channel -compress LZW "$C/decode_tiff/rgba-lzw.tif"
im "$COLOR" -alpha set -channel A -fx 'i/w' +channel -define tiff:alpha=associated "$C/decode_tiff/rgba-assoc.tif"
im "$COLOR" -compress Zip "$C/decode_tiff/rgb-deflate.tif"
im "$COLOR" -define tiff:tile-geometry=16x16 "$C/decode_tiff/tiled.tif"
im "$COLOR" -endian MSB -depth 16 "$C/decode_tiff/rgb16-msb.tif"
im "$GRAY" -alpha set -channel A -fx 'j/h' +channel "$C/decode_tiff/gray-alpha.tif"
im "$GRAY" -type Palette "$C/decode_tiff/palette.tif"
im "$GRAY" -threshold 50% -type Bilevel "$C/decode_tiff/bilevel.tif"
im "$COLOR" -colorspace CMYK "$C/decode_tiff/cmyk.tif"
im "$COLOR" -interlace Plane "$C/decode_tiff/planar.tif"
im "$COLOR" -define tiff:rows-per-strip=2 "$C/decode_tiff/strips.tif"

# WebP: lossy, lossless, with alpha (VP8X).
im "$COLOR" -quality 70 "$C/decode_webp/lossy.webp"
im "$COLOR" -define webp:lossless=true "$C/decode_webp/lossless.webp"
im "$COLOR" -alpha set -channel A -fx 'i/w' +channel -quality 80 "$C/decode_webp/alpha.webp"
im "$GRAY" -define webp:lossless=true -alpha set -channel A -fx 'j/h' +channel "$C/decode_webp/alpha-lossless.webp"

# GIF (first frame): plain, transparent, interlaced, animated, gray palette.
im "$COLOR" -strip "$C/decode_gif/rgb.gif"
im "$COLOR" -strip -transparent "$(convert "$COLOR" -format '%[pixel:p{0,0}]' info:)" "$C/decode_gif/transparent.gif"
im "$COLOR" -strip -interlace GIF "$C/decode_gif/interlaced.gif"
im -delay 10 -loop 0 "$COLOR" "$GRAY" -strip "$C/decode_gif/animated.gif"
im "$GRAY" -strip -colors 16 "$C/decode_gif/gray16colours.gif"

# BMP: 24-bit (v3), 32-bit with alpha (v5), 8-bit palette, RLE8, 1-bit, 16-bit.
im "$COLOR" -strip "BMP3:$C/decode_bmp/rgb24.bmp"
im "$COLOR" -strip -alpha set -channel A -fx 'i/w' +channel "BMP:$C/decode_bmp/rgba32.bmp"
im "$GRAY" -strip -type Palette "BMP3:$C/decode_bmp/palette8.bmp"
im "$GRAY" -strip -type Palette -compress RLE "BMP3:$C/decode_bmp/rle8.bmp"
im "$GRAY" -strip -monochrome "BMP3:$C/decode_bmp/bilevel.bmp"
im "$COLOR" -strip -define bmp:subtype=RGB565 "BMP:$C/decode_bmp/rgb565.bmp"

# HEIC and AVIF (libheif's encoders): 8-bit colour, gray, alpha, 10-bit.
heif() { heif-enc "$@" >/dev/null 2>&1; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
im "$COLOR" -strip "PNG24:$T/color.png"; im "$GRAY" -strip "$T/gray.png"
im "$COLOR" -strip -alpha set -channel A -fx 'i/w' +channel "PNG32:$T/alpha.png"
im "$COLOR" -strip -depth 16 "PNG48:$T/color16.png"
for ext in heic avif; do
  flag=(); dir=decode_heif; [[ $ext == avif ]] && { flag=(-A); dir=decode_avif; }
  heif "${flag[@]}" -q 50 -o "$C/$dir/color.$ext" "$T/color.png"
  heif "${flag[@]}" -q 50 -o "$C/$dir/gray.$ext" "$T/gray.png"
  heif "${flag[@]}" -q 50 -o "$C/$dir/alpha.$ext" "$T/alpha.png"
  heif "${flag[@]}" -q 50 -b 10 -o "$C/$dir/color10.$ext" "$T/color16.png" || true
done

# Camera RAW: the minimal DNGs of the bad-input corpus (Bayer 2×2, 16-bit).
/usr/bin/python3 - "$C/decode_raw" <<'PY'
import sys
sys.path.insert(0, "../tests/bad_inputs")
import make_corpus
for name, args in {"bayer": {}, "bayer-orient6": {"orientation": 6}, "bayer-odd": {"width": 18, "height": 10}}.items():
  open(f"{sys.argv[1]}/{name}.dng", "wb").write(make_corpus.dng(width=args.get("width", 16),
       height=args.get("height", 12), orientation=args.get("orientation", 1)))
PY

# Header reader: one file of each format.
cp "$C/decode_jpeg/rgb-420.jpg" "$C/decode_png/gray16.png" "$C/decode_tiff/rgb16-msb.tif" \
   "$C/decode_webp/alpha.webp" "$C/decode_webp/lossless.webp" "$C/decode_jpeg/progressive.jpg" \
   "$C/decode_gif/rgb.gif" "$C/decode_bmp/rgb24.bmp" "$C/decode_heif/color.heic" "$C/decode_avif/color.avif" \
   "$C/decode_raw/bayer.dng" "$C/image_header/"

# EXIF (TIFF structures), ICC profiles and JPEGs carrying EXIF: Python.
python3 - "$C" <<'PY'
import ctypes, struct, sys
C = sys.argv[1]

def ifd(entries, endian, next_ifd=0, base=8, extra=b""):
  """entries: (tag, type, count, value bytes or int)."""
  out = struct.pack(endian + "H", len(entries))
  data_at = base + 2 + 12 * len(entries) + 4
  data = b""
  for tag, typ, count, value in entries:
    if isinstance(value, int):
      field = struct.pack(endian + ("H2x" if typ == 3 else "I"), value)
    elif len(value) <= 4:
      field = value.ljust(4, b"\0")
    else:
      field = struct.pack(endian + "I", data_at + len(data)); data += value
    out += struct.pack(endian + "HHI", tag, typ, count) + field
  return out + struct.pack(endian + "I", next_ifd) + data + extra

def exif(endian, orientation, xres=(300, 1), unit=2, sub=True):
  e = "<" if endian == "II" else ">"
  head = (b"II*\0" if endian == "II" else b"MM\0*") + struct.pack(e + "I", 8)
  rat = lambda n, d: struct.pack(e + "II", n, d)
  entries = [(0x0112, 3, 1, orientation), (0x011A, 5, 1, rat(*xres)), (0x011B, 5, 1, rat(*xres)),
             (0x0128, 3, 1, unit)]
  if sub:  # an Exif sub-IFD with a date and a maker tag
    entries.append((0x8769, 4, 1, 0))
  body = ifd(entries, e)
  if sub:
    sub_at = 8 + len(body)
    body = ifd(entries[:-1] + [(0x8769, 4, 1, sub_at)], e)
    body += ifd([(0x9003, 2, 20, b"2024:01:02 03:04:05\0"), (0xA002, 4, 1, 16), (0xA003, 4, 1, 8)], e,
                base=sub_at)
  return head + body

seeds = {
  "le-orient6-300dpi": exif("II", 6),
  "be-orient8-cm": exif("MM", 8, (118, 1), 3),
  "le-orient3-nosub": exif("II", 3, sub=False),
  "be-orient1-unit1": exif("MM", 1, (72, 1), 1, sub=False),
  "le-orient0-zero-res": exif("II", 0, (0, 0), 2, sub=False),
}
for name, data in seeds.items():
  open(f"{C}/exif/{name}", "wb").write(data)

# A JPEG with EXIF orientation 6 for the decoder and header corpora.
jpeg = open(f"{C}/decode_jpeg/rgb-444.jpg", "rb").read()
app1 = b"Exif\0\0" + seeds["le-orient6-300dpi"]
with_exif = jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[2:]
open(f"{C}/decode_jpeg/exif-orient6.jpg", "wb").write(with_exif)
open(f"{C}/analyze/exif-orient6.jpg", "wb").write(with_exif)

lcms = ctypes.CDLL("liblcms2.so.2")
lcms.cmsCreate_sRGBProfile.restype = ctypes.c_void_p
lcms.cmsCreateLab4Profile.restype = ctypes.c_void_p
lcms.cmsCreateXYZProfile.restype = ctypes.c_void_p
lcms.cmsD50_xyY.restype = ctypes.c_void_p
lcms.cmsBuildGamma.restype = ctypes.c_void_p
lcms.cmsBuildGamma.argtypes = [ctypes.c_void_p, ctypes.c_double]
lcms.cmsCreateGrayProfile.restype = ctypes.c_void_p
lcms.cmsCreateGrayProfile.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
lcms.cmsSaveProfileToMem.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32)]
def save(profile, name):
  size = ctypes.c_uint32(0)
  lcms.cmsSaveProfileToMem(ctypes.c_void_p(profile), None, ctypes.byref(size))
  buf = ctypes.create_string_buffer(size.value)
  lcms.cmsSaveProfileToMem(ctypes.c_void_p(profile), buf, ctypes.byref(size))
  open(f"{C}/icc/{name}", "wb").write(buf.raw[:size.value])
save(lcms.cmsCreate_sRGBProfile(), "srgb.icc")
save(lcms.cmsCreateLab4Profile(None), "lab4.icc")
save(lcms.cmsCreateXYZProfile(), "xyz.icc")
save(lcms.cmsCreateGrayProfile(ctypes.c_void_p(lcms.cmsD50_xyY()), lcms.cmsBuildGamma(None, 2.2)), "gray22.icc")
PY

# Analysis: small crops of different content and formats; a blurred
# enlargement (native scale) and a noisy crop.
im "$(crop coffee.png 48x48+200+120)" -strip -quality 50 "$C/analyze/coffee-q50.jpg"
im "$(crop camera.png 40x32+200+100)" -strip -quality 95 "$C/analyze/camera-gray-q95.jpg"
im "$(crop astronaut.png 32x32+180+80)" -strip -depth 16 "PNG48:$C/analyze/astronaut16.png"
im "$(crop chelsea.png 12x12+150+80)" -strip -resize 48x48 "PNG24:$C/analyze/chelsea-upscaled.png"
im "$(crop grass.png 32x32+10+10)" -strip -attenuate 3 +noise Gaussian "$C/analyze/grass-noisy.jpg"
im "$(crop coffee.png 32x32+100+100)" -alpha set -channel A -fx 'i/w' +channel "$C/analyze/coffee-rgba.tif"
im "$(crop brick.png 32x24+50+50)" -quality 60 "$C/analyze/brick.webp"

# Command-line texts.
t=0; for s in '8x10in@300dpi' 'A4@300dpi' '2000px' '4k' '20x30cm@150' '3840x2160' 'letter' '8x10"@150ppi' \
              '210x297mm' '1080p' '5x7inch@240dpi' 'tabloid@600'; do
  printf '%s' "$s" >"$C/target_spec/seed-$((t++))"; done
t=0; for s in 'deblock,denoise:12,upscale:4:esrgan-thick,sharpen:amount=30%,encode:jpeg:85' \
              'downscale:1600x1200' 'downscale:0.5' 'upscale:x2' 'upscale:2.5:model.pt' 'sharpen:0.4:1.2' \
              'encode:webp:80' 'deblock:quality=50:strength=0.5' 'denoise:sigma=3,encode:tif' \
              'downscale:width_px=800:height_px=600' 'upscale:4×,sharpen:40%'; do
  printf '%s' "$s" >"$C/parse_steps/seed-$((t++))"; done
du -sh "$C"/*
