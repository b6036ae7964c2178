"""The Python module against the program: the same objects, messages and exit-code categories."""
import json
import os
import threading

import numpy as np
import pytest
import skimage.io

import acuity
from conftest import run_cli

TARGET = "8x10in@300dpi"


def cli_json(*args):
    code, out, err = run_cli(*args)
    assert code in (0, 1), err
    return json.loads(out)


def cli_error(*args):
    """The program's exit code and its one line, without "acuity: "."""
    code, _, err = run_cli(*args)
    lines = err.strip().splitlines()
    assert lines and lines[-1].startswith("acuity: "), err
    return code, lines[-1][len("acuity: "):]


# --- the same dictionaries as the JSON --------------------------------------

@pytest.mark.parametrize("kind", ["png", "jpeg", "gray"])
def test_analyze_is_the_programs_json(photos, kind):
    path = photos[kind]
    assert acuity.analyze(path) == cli_json("analyze", "--json", path)
    assert acuity.analyze(path, target=TARGET) == cli_json("analyze", "--json", "--target", TARGET, path)


def test_advise_is_the_programs_json(photos):
    path = photos["jpeg"]
    advice = acuity.advise(path, target="A4", fit="pad")
    assert advice == cli_json("advise", "--json", "--target", "A4", "--fit", "pad", path)
    assert advice["plan"]["steps"], "an A4 print of a 400 px photo needs work"
    # The device the upscale is priced for, as the program takes it.
    on_cpu = acuity.advise(path, target="A4", fit="pad", device="cpu")
    assert on_cpu == cli_json("advise", "--json", "--target", "A4", "--fit", "pad", "--device", "cpu", path)
    code, message = cli_error("advise", "--device", "gpu", path)
    with pytest.raises(acuity.UsageError) as raised:
        acuity.advise(path, device="gpu")
    assert (raised.value.exit_code, str(raised.value)) == (code, message) == (2, message)
    assert acuity.analyze(path, target="A4", device="cpu") == cli_json("analyze", "--json", "--target", "A4", path)


def test_qa_is_the_programs_json(photos):
    before, after = photos["small"], photos["png"]
    assert acuity.qa(before, after) == cli_json("qa", "--json", before, after)
    limits = "fidelity_psnr_db=40,detail_retained.fail=0.95"
    assert acuity.qa(before, after, thresholds=limits) == cli_json("qa", "--json", "--thresholds", limits, before, after)


def test_a_path_may_be_a_pathlike_or_bytes(photos):
    import pathlib
    path = photos["png"]
    expected = acuity.analyze(path)
    assert acuity.analyze(pathlib.Path(path)) == expected
    assert acuity.analyze(os.fsencode(path)) == expected


# --- arrays in ---------------------------------------------------------------

READINGS = [("sharpness", "blur_sigma_px"), ("noise", "sigma"), ("noise", "luma_sigma"),
            ("compression", "blockiness"), ("oversharpening", "halo_score"), ("resolution", "native_scale")]


def assert_same_readings(got, expected, rel):
    for block, name in READINGS:
        assert got[block][name] == pytest.approx(expected[block][name], rel=rel, abs=1e-3), (block, name)


@pytest.mark.parametrize("kind", ["png", "gray"])
def test_an_array_reads_as_the_file_it_came_from(photos, kind):
    path = photos[kind]
    pixels = skimage.io.imread(path)  # HxWx3 RGB or HxW gray, uint8
    from_file = acuity.analyze(path, target=TARGET)
    from_array = acuity.analyze(pixels, target=TARGET)
    assert_same_readings(from_array, from_file, rel=1e-6)
    assert from_array["target"] == from_file["target"]
    assert from_array["input"]["path"] == "<array>"
    assert from_array["input"]["file_bytes"] is None  # not measured, not 0
    assert (from_array["input"]["width"], from_array["input"]["height"]) == (pixels.shape[1], pixels.shape[0])


def test_16_bit_and_float_arrays_read_alike(photos):
    pixels = skimage.io.imread(photos["png"])
    eight = acuity.analyze(pixels)
    sixteen = acuity.analyze(pixels.astype(np.uint16) * 257)
    floating = acuity.analyze(pixels.astype(np.float32) / 255)
    assert sixteen["input"]["bit_depth"] == 16
    assert_same_readings(floating, sixteen, rel=1e-6)  # float 0-1 is kept as 16-bit
    assert_same_readings(sixteen, eight, rel=0.05)


def test_channel_order_is_rgb(photos):
    pixels = skimage.io.imread(photos["png"])
    swapped = acuity.analyze(np.ascontiguousarray(pixels[:, :, ::-1]))
    assert acuity.analyze(pixels[:, :, ::-1])["noise"] == swapped["noise"]  # strides are handled
    rgb = acuity.analyze(pixels)["noise"]["channel_sigmas_rgb"]
    assert swapped["noise"]["channel_sigmas_rgb"] == pytest.approx(rgb[::-1], rel=1e-6)


# --- errors: the program's categories and messages ----------------------------

def test_a_bad_option_value_is_a_usage_error_with_the_programs_message(photos):
    code, message = cli_error("analyze", "--target", "nonsense", photos["png"])
    with pytest.raises(acuity.UsageError) as raised:
        acuity.analyze(photos["png"], target="nonsense")
    assert (raised.value.exit_code, str(raised.value)) == (code, message) == (2, message)
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, acuity.Error)


def test_an_unknown_option_is_a_usage_error(photos):
    with pytest.raises(acuity.UsageError, match="unknown option --colour"):
        acuity.analyze(photos["png"], colour="red")
    with pytest.raises(acuity.UsageError, match="--fit needs --target"):
        acuity.advise(photos["png"], fit="crop")


def test_an_unreadable_input_is_an_input_error_with_the_programs_message(photos, tmp_path):
    for path in (str(tmp_path / "missing.png"), str(tmp_path / "broken.jpg")):
        if path.endswith(".jpg"):
            open(path, "wb").write(b"\xff\xd8 not a jpeg")
        code, message = cli_error("analyze", path)
        with pytest.raises(acuity.InputError) as raised:
            acuity.analyze(path)
        assert (raised.value.exit_code, str(raised.value)) == (code, message) == (3, message)
        assert isinstance(raised.value, OSError)


def test_an_unwritable_output_is_an_output_error_with_the_programs_message(photos, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file, not a folder")
    output = str(blocked / "out.png")
    code, message = cli_error("enhance", "--steps", "sharpen", "-o", output, photos["png"])
    with pytest.raises(acuity.OutputError) as raised:
        acuity.enhance(photos["png"], steps="sharpen", output=output)
    assert (raised.value.exit_code, str(raised.value)) == (code, message) == (4, message)


def test_an_array_acuity_cannot_read_is_a_usage_error():
    with pytest.raises(acuity.UsageError, match="float64"):
        acuity.analyze(np.zeros((64, 64, 3)))
    with pytest.raises(acuity.UsageError, match="2 channels"):
        acuity.analyze(np.zeros((64, 64, 2), np.uint8))
    with pytest.raises(acuity.UsageError, match="at least"):
        acuity.analyze(np.zeros((4, 4), np.uint8))
    with pytest.raises(acuity.UsageError, match="a path or a numpy array"):
        acuity.analyze([[0, 1], [2, 3]])


# --- enhance: arrays out, progress, cancelling -------------------------------

def test_enhance_returns_the_result_and_writes_it(photos, tmp_path):
    output = str(tmp_path / "half.png")
    pixels, record = acuity.enhance(skimage.io.imread(photos["png"]), steps="downscale:200x160,sharpen:0.3",
                                    output=output)
    assert pixels.shape == (160, 200, 3) and pixels.dtype == np.uint8
    assert record["output"] == output and [s["op"] for s in record["plan"]["steps"]] == ["downscale", "sharpen"]
    assert "analysis" not in record  # explicit steps: nothing was advised
    np.testing.assert_array_equal(skimage.io.imread(output), pixels)  # what was written


def test_enhance_without_output_writes_nothing_and_returns_the_pixels(photos, tmp_path):
    # The same pixels as the PNG the same call writes; no file anywhere.
    steps = "downscale:200x160,sharpen:0.3"
    written, _ = acuity.enhance(photos["png"], steps=steps, output=str(tmp_path / "r.png"))
    before = set(tmp_path.iterdir())
    pixels, record = acuity.enhance(photos["png"], steps=steps)
    assert record["output"] is None and set(tmp_path.iterdir()) == before
    np.testing.assert_array_equal(pixels, written)
    # A plan with its own encode step: no file for it to disagree with.
    _, record = acuity.enhance(photos["png"], steps="downscale:0.5,encode:jpeg")
    assert [s["op"] for s in record["plan"]["steps"]] == ["downscale", "encode"]


def test_enhance_keeps_the_arrays_kind(photos, tmp_path):
    gray = skimage.io.imread(photos["gray"]).astype(np.float32) / 255
    pixels, _ = acuity.enhance(gray, steps="downscale:0.5", output=str(tmp_path / "g.tif"))
    assert pixels.shape == (150, 150) and pixels.dtype == np.float32
    assert 0 <= pixels.min() and pixels.max() <= 1
    assert abs(pixels.mean() - gray.mean()) < 0.01


def test_enhance_plan_auto_gives_the_advised_plan(photos, tmp_path):
    pixels, record = acuity.enhance(photos["png"], plan="auto", output=str(tmp_path / "auto.png"))
    # The plan's analysis looked for faces and text, as `acuity advise` does.
    assert record["analysis"] == acuity.analyze(photos["png"], content=True)
    assert pixels.shape[:2] == (record["analysis"]["input"]["height"], record["analysis"]["input"]["width"])


def test_progress_is_called_with_the_gil_and_can_cancel(photos, tmp_path):
    calls = []
    output = tmp_path / "out.png"
    acuity.enhance(photos["png"], steps="denoise,sharpen", output=str(output),
                   progress=lambda fraction, step: calls.append((fraction, step, threading.get_ident())))
    assert calls and calls[-1][0] == 1.0
    assert all(0 <= f <= 1 for f, _, _ in calls)

    class Stop(Exception):
        pass

    def stop(fraction, step):
        raise Stop(step)

    output.unlink()
    with pytest.raises(Stop):
        acuity.enhance(photos["png"], steps="denoise,sharpen", output=str(output), progress=stop)
    assert not output.exists() and not list(tmp_path.iterdir())  # nothing written, no temporary left


def test_the_gil_is_released_during_the_work(photos):
    # Another Python thread runs while analyze works.
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)
            done.wait(0.001)

    thread = threading.Thread(target=tick)
    thread.start()
    before = len(ticks)
    try:
        acuity.analyze(photos["png"], target=TARGET)
        during = len(ticks) - before
    finally:
        done.set()
        thread.join()
    assert during >= 20  # ticks of 1 ms; none while a call holds the GIL


def test_threads_may_call_in_at_once_from_the_start(photos):
    # A fresh interpreter whose first calls come from several threads at once,
    # numpy not imported yet: pybind11's numpy set-up on first use (importing
    # numpy) deadlocked so.
    script = ("import sys, acuity\n"
              "from concurrent.futures import ThreadPoolExecutor\n"
              "with ThreadPoolExecutor(4) as pool:\n"
              "    got = list(pool.map(acuity.analyze, sys.argv[1:] * 2))\n"
              "assert got[0] == got[2] and got[1] == got[3]\n")
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", script, photos["gray"], photos["small"]], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr


def test_enhance_runs_a_model_found_as_the_program_finds_it(photos, tmp_path):
    # python3 is not acuity's program: the models come from the build tree
    # (or, installed, from where the package puts them).
    small = skimage.io.imread(photos["small"])[:48, :64]
    pixels, record = acuity.enhance(small, steps="upscale:2:esrgan-slim", output=str(tmp_path / "x2.png"))
    assert pixels.shape == (96, 128, 3)
    assert record["plan"]["steps"][0]["params"]["model"] == "esrgan-slim"
