#!/usr/bin/python3
"""Writes acuity's bad-input corpus: files that are truncated at every
structural boundary of their format, corrupt, misnamed, lying about their
size, or unusual but valid (CMYK, 1-bit, palette, 16-bit with alpha, ...).

  /usr/bin/python3 make_corpus.py OUT_DIR

Writes OUT_DIR/<name> for each case and OUT_DIR/manifest.json mapping each
name to what `acuity analyze` must do with it: "ok" (a correct analysis),
"error" (one line `acuity: FILE: reason`, exit 3) or "either" (whichever,
but never a crash or a hang). Generated at test time: nothing binary is
committed. Needs Pillow and numpy (python3-skimage pulls both in) and
heif-enc (libheif-examples) for the HEIF/AVIF seeds.
"""
import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np
from PIL import Image

PHOTO = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"


def crop(width=96, height=64):
    """A real photo crop, RGB 8-bit."""
    return Image.open(PHOTO).convert("RGB").crop((200, 100, 200 + width, 100 + height))


def encode(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


# --- hand-written PNG (full control over IHDR and chunks) -------------------
def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, bit_depth, color_type, rows, extra_chunks=(), ihdr_size=None):
    w, h = ihdr_size or (width, height)
    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 0)
    raw = b"".join(b"\0" + row for row in rows)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + b"".join(extra_chunks) +
            png_chunk(b"IDAT", zlib.compress(raw)) + png_chunk(b"IEND", b""))


def png_rows(array):
    """Rows of a numpy array (H, W[, C]) as big-endian bytes."""
    dtype = ">u2" if array.dtype == np.uint16 else "u1"
    return [array[y].astype(dtype).tobytes() for y in range(array.shape[0])]


# --- structure walkers: offsets of every boundary ------------------------------
def jpeg_boundaries(data):
    """Offsets where each marker segment starts, plus the middle of each."""
    offsets, at = [], 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2:at + 4])[0]
        offsets += [at, at + 2 + length // 2]
        if marker == 0xDA:  # start of scan: then the entropy-coded data
            offsets += [at + 2 + length, (at + len(data)) // 2, len(data) - 2]
            break
        at += 2 + length
    return offsets


def png_boundaries(data):
    offsets, at = [8], 8
    while at + 8 <= len(data):
        length = struct.unpack(">I", data[at:at + 4])[0]
        offsets += [at + 8, at + 8 + length // 2, at + 8 + length]  # after type, mid data, before CRC
        at += 12 + length
        offsets.append(at)
    return [o for o in offsets if o < len(data)]


def bmff_boundaries(data):
    """Top-level ISO-BMFF boxes and the children of 'meta'."""
    offsets, at = [], 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        offsets += [at, at + 8]
        if kind == b"meta":
            child = at + 12
            while child + 8 <= at + size:
                csize = struct.unpack(">I", data[child:child + 4])[0]
                offsets += [child, child + csize // 2]
                if csize < 8:
                    break
                child += csize
        if size < 8:
            break
        at += size
    return [o for o in offsets if 0 < o < len(data)]


# --- a minimal CFA DNG --------------------------------------------------------
def tiff(entries, image_data, big_endian=False):
    """A one-IFD TIFF; entries: (tag, type, values) with the strip offset
    filled in for tag 273. Types: 1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL, 10 SRATIONAL."""
    e = ">" if big_endian else "<"
    sizes = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 10: 8}
    codes = {1: "B", 3: "H", 4: "I"}
    entries = sorted(entries)
    ifd_at = 8
    extra_at = ifd_at + 2 + 12 * len(entries) + 4
    extra = b""
    data_at = extra_at + sum(((len(v) * sizes[t] + 1) & ~1) for _, t, v in entries if len(v) * sizes[t] > 4)
    body = b""
    for tag, kind, values in entries:
        if tag == 273:
            values = [data_at]
        if kind == 2:
            packed = values
        elif kind in (5, 10):
            packed = b"".join(struct.pack(e + ("ii" if kind == 10 else "II"), int(v * 10000), 10000) for v in values)
        else:
            packed = struct.pack(e + codes[kind] * len(values), *values)
        count = len(values)
        if len(packed) <= 4:
            field = packed.ljust(4, b"\0")
        else:
            field = struct.pack(e + "I", extra_at + len(extra))
            extra += packed + (b"\0" if len(packed) % 2 else b"")
        body += struct.pack(e + "HHI", tag, kind, count) + field
    header = (b"MM\0*" if big_endian else b"II*\0") + struct.pack(e + "I", ifd_at)
    return header + struct.pack(e + "H", len(entries)) + body + b"\0\0\0\0" + extra + image_data


def dng(width=64, height=48, orientation=1):
    yy, xx = np.mgrid[0:height, 0:width]
    scene = np.where(xx < width // 2, 20000, 3000).astype("<u2")  # grey halves, linear
    cfa = scene.tobytes()
    xyz_to_srgb = [3.2406, -1.5372, -0.4986, -0.9689, 1.8758, 0.0415, 0.0557, -0.2040, 1.0570]
    entries = [
        (254, 4, [0]), (256, 4, [width]), (257, 4, [height]), (258, 3, [16]), (259, 3, [1]),
        (262, 3, [32803]), (271, 2, b"AcuityCam\0"), (272, 2, b"Bayer One\0"), (273, 4, [0]),
        (274, 3, [orientation]), (277, 3, [1]), (278, 4, [height]), (279, 4, [len(cfa)]), (284, 3, [1]),
        (33421, 3, [2, 2]), (33422, 1, [0, 1, 1, 2]), (50706, 1, [1, 4, 0, 0]),
        (50708, 2, b"AcuityCam Bayer One\0"), (50717, 4, [65535]), (50721, 10, xyz_to_srgb),
        (50728, 5, [1, 1, 1]), (50778, 3, [21]),
    ]
    return tiff(entries, cfa)


# --- EXIF ---------------------------------------------------------------------
def exif_with_orientation(value):
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def with_app1(jpeg, payload):
    """`jpeg` with an APP1 segment holding `payload` right after SOI."""
    return jpeg[:2] + b"\xFF\xE1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def patch(data, offset, new):
    return data[:offset] + new + data[offset + len(new):]


def find_marker(jpeg, marker):
    at = 2
    while at + 4 <= len(jpeg):
        if jpeg[at + 1] == marker:
            return at
        at += 2 + struct.unpack(">H", jpeg[at + 2:at + 4])[0]
    raise ValueError("marker %x not found" % marker)


def heif_seed(path_png, avif):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "seed.avif" if avif else "seed.heic")
        subprocess.run(["heif-enc", "-q", "80"] + (["-A"] if avif else []) + ["-o", out, path_png],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out, "rb") as f:
            return f.read()


def cases(tmp_dir):
    """Yields (name, bytes, expectation)."""
    photo = crop()
    jpeg = encode(photo, "JPEG", quality=85)
    yield "good.jpg", jpeg, "ok"
    for i, at in enumerate(jpeg_boundaries(jpeg)):
        yield "jpeg_cut_%02d_at_%d.jpg" % (i, at), jpeg[:at], "error"
    scan = find_marker(jpeg, 0xDA)
    yield "jpeg_corrupt_scan.jpg", jpeg[:scan + 40] + bytes((b * 7 + 13) & 0xFF for b in jpeg[scan + 40:-2]) + b"\xFF\xD9", "either"
    dqt = find_marker(jpeg, 0xDB)
    yield "jpeg_dqt_length_0.jpg", patch(jpeg, dqt + 2, b"\0\0"), "error"
    yield "jpeg_dht_garbage.jpg", patch(jpeg, find_marker(jpeg, 0xC4) + 5, b"\xFF" * 16), "error"
    sof = find_marker(jpeg, 0xC0)
    yield "jpeg_sof_zero_size.jpg", patch(jpeg, sof + 5, b"\0\0\0\0"), "error"
    yield "jpeg_sof_huge.jpg", patch(jpeg, sof + 5, b"\xFF\xDC\xFF\xDC"), "error"
    yield "jpeg_12bit.jpg", patch(jpeg, sof + 4, b"\x0C"), "error"
    yield "jpeg_sof_4_components.jpg", patch(jpeg, sof + 9, b"\x04"), "error"
    cmyk = encode(photo.convert("CMYK"), "JPEG", quality=90)
    yield "cmyk.jpg", cmyk, "ok"
    adobe = cmyk.find(b"Adobe")
    yield "ycck.jpg", patch(cmyk, adobe + 11, b"\x02"), "ok"  # Adobe transform 2 = YCCK
    yield "exif_zero_length.jpg", with_app1(jpeg, b"Exif\0\0"), "ok"
    yield "exif_orientation_0.jpg", encode(photo, "JPEG", exif=exif_with_orientation(0)), "ok"
    yield "exif_orientation_9.jpg", encode(photo, "JPEG", exif=exif_with_orientation(9)), "ok"
    yield "exif_garbage_ifd.jpg", with_app1(jpeg, b"Exif\0\0II*\0\xFF\xFF\xFF\x7F" + b"\x01" * 40), "ok"
    yield "icc_garbage.jpg", encode(photo, "JPEG", icc_profile=b"not an ICC profile " * 20), "ok"
    yield "icc_garbage.png", encode(photo, "PNG", icc_profile=b"not an ICC profile " * 20), "ok"

    good_png = encode(photo, "PNG")
    yield "good.png", good_png, "ok"
    for i, at in enumerate(png_boundaries(good_png)):
        yield "png_cut_%02d_at_%d.png" % (i, at), good_png[:at], "error"
    idat = good_png.find(b"IDAT")
    yield "png_bad_crc.png", patch(good_png, idat + 20, b"\x00\x01\x02\x03"), "error"
    yield "png_bad_color_type.png", patch(good_png, 25, b"\x05"), "error"
    rgb = np.asarray(photo)
    yield "png_ihdr_huge.png", png(96, 64, 8, 2, png_rows(rgb), ihdr_size=(65535, 65535)), "error"
    yield "png_ihdr_zero.png", png(96, 64, 8, 2, png_rows(rgb), ihdr_size=(0, 64)), "error"
    yield "png_ihdr_negative.png", png(96, 64, 8, 2, png_rows(rgb), ihdr_size=(0x80000000, 0xFFFFFFF0)), "error"
    yield "png_ihdr_larger_than_data.png", png(96, 64, 8, 2, png_rows(rgb), ihdr_size=(96, 640)), "error"
    yield "png_1bit.png", encode(photo.convert("1"), "PNG"), "ok"
    yield "png_palette.png", encode(photo.convert("P", palette=Image.ADAPTIVE, colors=64), "PNG"), "ok"
    pal = photo.convert("P", palette=Image.ADAPTIVE, colors=64)
    yield "png_palette_trns.png", encode(pal, "PNG", transparency=0), "ok"
    yield "png_gray_alpha.png", encode(photo.convert("LA"), "PNG"), "ok"
    rgba16 = np.dstack([rgb.astype(np.uint16) * 257, np.full(rgb.shape[:2], 40000, np.uint16)])
    yield "png_16bit_rgba.png", png(96, 64, 16, 6, png_rows(rgba16)), "ok"
    yield "png_16bit_gray_alpha.png", png(96, 64, 16, 4, png_rows(rgba16[:, :, [0, 3]])), "ok"
    yield "strip_2x40000.png", png(2, 40000, 8, 0, [b"\x80\x40"] * 40000), "error"
    yield "strip_40000x2.png", png(40000, 2, 8, 0, [b"\x80" * 40000] * 2), "error"

    good_tif = encode(photo, "TIFF")
    yield "good.tif", good_tif, "ok"
    ifd = struct.unpack("<I", good_tif[4:8])[0]
    count = struct.unpack("<H", good_tif[ifd:ifd + 2])[0]
    for name, at in [("header", 6), ("ifd_count", ifd + 1), ("ifd_middle", ifd + 2 + 12 * (count // 2)),
                     ("ifd_end", ifd + 2 + 12 * count), ("strip_middle", len(good_tif) // 2)]:
        yield "tiff_cut_%s.tif" % name, good_tif[:at], "error"
    yield "tiff_ifd_count_huge.tif", patch(good_tif, ifd, b"\xFF\xFF"), "error"
    yield "tiff_ifd_offset_past_end.tif", patch(good_tif, 4, b"\xF0\xFF\xFF\x7F"), "error"
    yield "tiff_1bit.tif", encode(photo.convert("1"), "TIFF"), "ok"
    yield "tiff_palette.tif", encode(photo.convert("P", palette=Image.ADAPTIVE, colors=16), "TIFF"), "ok"
    yield "tiff_multipage.tif", encode(photo, "TIFF", save_all=True,
                                       append_images=[photo.rotate(90, expand=True)]), "ok"
    yield "tiff_cmyk.tif", encode(photo.convert("CMYK"), "TIFF"), "either"
    yield "tiff_width_lie.tif", tiff([(256, 4, [0xFFFFFFF0]), (257, 4, [64]), (258, 3, [8]), (262, 3, [1]),
                                      (273, 4, [0]), (277, 3, [1]), (278, 4, [64]), (279, 4, [64])],
                                     b"\x80" * 64), "error"

    gif = encode(photo.convert("P", palette=Image.ADAPTIVE), "GIF")
    yield "good.gif", gif, "ok"
    frames = [photo, photo.rotate(180)]
    yield "animated.gif", encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100), "ok"
    yield "gif_transparent.gif", encode(pal, "GIF", transparency=0), "ok"
    yield "gif_cut_header.gif", gif[:10], "error"
    yield "gif_cut_data.gif", gif[:len(gif) // 2], "error"
    yield "gif_screen_zero.gif", patch(gif, 6, b"\0\0\0\0"), "error"
    yield "gif_screen_huge.gif", patch(gif, 6, b"\xFF\xFF\xFF\xFF"), "error"
    bmp = encode(photo, "BMP")
    yield "good.bmp", bmp, "ok"
    yield "bmp_cut.bmp", bmp[:len(bmp) // 2], "error"
    yield "bmp_height_min_int.bmp", patch(bmp, 22, b"\x00\x00\x00\x80"), "error"
    yield "bmp_width_negative.bmp", patch(bmp, 18, b"\xF0\xFF\xFF\xFF"), "error"
    yield "bmp_1bit.bmp", encode(photo.convert("1"), "BMP"), "ok"
    webp = encode(photo, "WEBP", quality=80)
    yield "webp_cut.webp", webp[:len(webp) // 2], "error"

    png_path = os.path.join(tmp_dir, "seed.png")
    photo.save(png_path)
    for ext, avif in (("heic", False), ("avif", True)):
        seed = heif_seed(png_path, avif)
        yield "good." + ext, seed, "ok"
        for i, at in enumerate(bmff_boundaries(seed)):
            yield "%s_cut_%02d_at_%d.%s" % (ext, i, at, ext), seed[:at], "error"
        ispe = seed.find(b"ispe")
        if ispe > 0:
            yield "%s_ispe_huge.%s" % (ext, ext), patch(seed, ispe + 8, b"\x00\x00\xFF\xFF\x00\x00\xFF\xFF"), "error"
            yield "%s_ispe_zero.%s" % (ext, ext), patch(seed, ispe + 8, b"\0" * 8), "error"
        mdat = seed.find(b"mdat")
        yield "%s_corrupt_mdat.%s" % (ext, ext), seed[:mdat + 24] + bytes(
            (b ^ 0x5A) for b in seed[mdat + 24:]), "either"

    raw = dng()
    yield "good.dng", raw, "ok"
    yield "dng_rotated.dng", dng(orientation=6), "ok"
    yield "dng_cut_ifd.dng", raw[:60], "error"
    yield "dng_cut_data.dng", raw[:len(raw) - 1000], "error"
    yield "dng_width_lie.dng", patch(raw, raw.find(struct.pack("<HHI", 256, 4, 1)) + 8, b"\xFF\xFF\x00\x00"), "error"

    yield "empty.jpg", b"", "error"
    yield "one_byte.png", b"\x89", "error"
    yield "text_named.jpg", b"this is not an image at all\n" * 4, "error"
    yield "png_named.jpg", good_png, "ok"
    yield "jpeg_named.png", jpeg, "ok"
    yield "gif_named.tif", gif, "ok"
    yield "text_named.heic", b"hello, not a HEIF\n", "error"
    yield "text_named.dng", b"II*\0 but then nothing sensible", "error"
    # Fuzz findings in Debian's decoders, which acuity runs in a child process
    # (analysis/io/isolated_call.h): LibRaw 0.20 reads wild memory on the
    # first, libheif/libde265 allocate 4 GB for the second and then crash.
    fuzz = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fuzz", "corpus")
    for name, rel in (("libraw_segv.dng", "decode_raw/regress-libraw-parse-tiff-ifd-segv.dng"),
                      ("libheif_4gb_segv.heic", "decode_heif/regress-libde265-4gb-then-segv.heic")):
        with open(os.path.join(fuzz, rel), "rb") as f:
            yield name, f.read(), "error"


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    manifest = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, data, expect in cases(tmp):
            assert name not in manifest, name
            with open(os.path.join(out_dir, name), "wb") as f:
                f.write(data)
            manifest[name] = expect
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    print("make_corpus: %d files in %s" % (len(manifest), out_dir))


if __name__ == "__main__":
    main()
