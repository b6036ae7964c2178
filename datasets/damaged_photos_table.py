#!/usr/bin/python3
"""Tables of models/RESULTS.md ("Damaged photos") from build/datasets/damaged_photos' CSV.

    /usr/bin/python3 datasets/damaged_photos_table.py datasets/damaged_photos.csv [--photos a,b]
    /usr/bin/python3 datasets/damaged_photos_table.py models/painted_flats.csv --painted --calibration a,b

With --painted: per method, the `painted_flat_pct` QA read on the noisy cases
(range, and how many warned: above 10 %), calibration photos and the others
apart.

Per scale and damage: the mean over the photos of PSNR-Y (dB) / SSIM / BRISQUE
for each method, the worst photo's PSNR gain over Lanczos, and how many of the
photos' outputs `acuity qa` failed or warned on.
"""
import argparse
import csv
import collections

PAINTED_WARN_PCT = 10.0  # analysis/advice/qa.cc, painted_flat_pct
PAINTED_METHODS = ["lanczos", "repair+lanczos", "thick+advised", "general", "x4plus", "truth"]
METHODS = ["lanczos", "thick+advised", "general", "general+repair", "general+advised", "x4plus", "x4plus+repair"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--photos", default="", help="only these photos (comma-separated)")
    ap.add_argument("--painted", action="store_true", help="the painted-flats table instead")
    ap.add_argument("--calibration", default="", help="with --painted: the calibration photos")
    args = ap.parse_args()
    rows = list(csv.DictReader(open(args.csv)))
    if args.painted:
        painted_table(rows, set(args.calibration.split(",")) - {""})
        return
    if args.photos:
        keep = set(args.photos.split(","))
        rows = [r for r in rows if r["photo"] in keep]
    by = collections.defaultdict(dict)  # (scale, damage) -> photo -> method -> row
    for r in rows:
        by[(int(r["scale"]), r["damage"])].setdefault(r["photo"], {})[r["method"]] = r
    # "+repair" where the advisor repaired nothing is the plain model's plan.
    repaired = collections.Counter()
    for per_photo in by.values():
        for p in per_photo.values():
            for m in ("general", "x4plus"):
                if m + "+repair" in p:
                    repaired[m] += 1
                elif m in p:
                    p[m + "+repair"] = p[m]
    photos = sorted({r["photo"] for r in rows})
    print(f"Photos: {', '.join(photos)}. Cell: mean PSNR-Y dB / SSIM / BRISQUE (lower = more natural); "
          "Δ worst = the worst photo's PSNR-Y gain over Lanczos; QA = outputs failed / warned. "
          "\"+repair\" = the advisor's deblock/denoise first, where it advised one, else the same as "
          "the model alone.\n")
    print("| scale | damage | " + " | ".join(METHODS) + " |")
    print("|---|---|" + "---|" * len(METHODS))
    for (scale, damage), per_photo in sorted(by.items()):
        cells = []
        means = {}
        for m in METHODS:
            got = [p[m] for p in per_photo.values() if m in p]
            if not got:
                cells.append("—")
                continue
            psnr = sum(float(r["psnr_y_db"]) for r in got) / len(got)
            ssim = sum(float(r["ssim"]) for r in got) / len(got)
            bq = sum(float(r["brisque"]) for r in got) / len(got)
            means[m] = psnr
            gains = [float(p[m]["psnr_y_db"]) - float(p["lanczos"]["psnr_y_db"]) for p in per_photo.values()
                     if m in p and "lanczos" in p]
            fails = sum(r["qa_verdict"] == "fail" for r in got)
            warns = sum(r["qa_verdict"] == "warn" for r in got)
            worst = f", Δ worst {min(gains):+.2f}" if m != "lanczos" and gains else ""
            cells.append(f"{psnr:.2f} / {ssim:.3f} / {bq:.0f}{worst}; QA {fails}F {warns}W")
        best = max(means, key=means.get) if means else None
        cells = [f"**{c}**" if m == best else c for m, c in zip(METHODS, cells)]
        print(f"| ×{scale} | {damage} | " + " | ".join(cells) + " |")
    print()
    wins = collections.Counter()
    total = 0
    for per_photo in by.values():
        for p in per_photo.values():
            cand = {m: float(p[m]["psnr_y_db"]) for m in METHODS if m in p}
            if cand:
                wins[max(cand, key=cand.get)] += 1
                total += 1
    print("Best PSNR-Y per case (photo × scale × damage): " +
          ", ".join(f"{m} {wins[m]}" for m in METHODS) + f" (of {total}).")
    diffs = collections.defaultdict(list)
    for per_photo in by.values():
        for p in per_photo.values():
            for m in ("general", "x4plus"):
                if m in p and p.get(m + "+repair") is not p[m]:
                    diffs[m].append(float(p[m + "+repair"]["psnr_y_db"]) - float(p[m]["psnr_y_db"]))
    for m, d in diffs.items():
        print(f"Repair first, {m}: {len(d)} cases, PSNR-Y change mean {sum(d) / len(d):+.2f} dB, "
              f"range {min(d):+.2f} to {max(d):+.2f} dB.")

def painted_table(rows, calibration):
    """painted_flat_pct per method on the cases where QA measured it (noisy inputs)."""
    print("| method | photos | cases measured | painted_flat_pct range % | warned (> 10 %) |")
    print("|---|---|---|---|---|")
    for m in PAINTED_METHODS:
        for label, keep in (("calibration", lambda p: p in calibration), ("check", lambda p: p not in calibration)):
            got = [float(r["qa_painted_flat_pct"]) for r in rows
                   if r["method"] == m and r["qa_painted_flat_pct"] and keep(r["photo"])]
            if not got:
                continue
            warned = [r["photo"] + " " + r["damage"] for r in rows
                      if r["method"] == m and r["qa_painted_flat_pct"] and keep(r["photo"])
                      and float(r["qa_painted_flat_pct"]) > PAINTED_WARN_PCT]
            print(f"| {m} | {label} | {len(got)} | {min(got):.1f}–{max(got):.1f} | {len(warned)}"
                  + (f" ({', '.join(warned)})" if warned and len(warned) <= 6 else "") + " |")


if __name__ == "__main__":
    main()
