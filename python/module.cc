// The Python module `acuity` (docs/python.md): analyze, advise, qa and
// enhance on a path or a numpy array, returning the dictionaries `acuity
// ... --json` prints. Only the Python side lives here — arguments in,
// dictionaries, arrays, warnings and exceptions out; the work is
// python/calls.h, run with the GIL released.
//
//   >>> import acuity
//   >>> acuity.analyze("photo.jpg", target="8x10in@300dpi")["target"]["fits"]
//   False
#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "analysis/io/image_io.h"
#include "analysis/io/exit_codes.h"
#include "enhance/compute_threads.h"
#include "python/calls.h"

namespace py = pybind11;

namespace acuity::python {
namespace {

// The exception classes, one per failing exit code of the program.
struct ErrorClass {
  int exit_code;
  const char* name;
  PyObject* python_base;  // a built-in class it also derives from, or null
  const char* doc;
};

std::vector<ErrorClass> ErrorClasses() {
  return {
      {kExitUsage, "UsageError", PyExc_ValueError,
       "Bad usage, as `acuity` exits 2 for: an unknown option or value, an array acuity cannot read."},
      {kExitBadInput, "InputError", PyExc_OSError,
       "An input could not be read, as `acuity` exits 3 for: missing, unreadable, not an image, a bad model file."},
      {kExitFailed, "OutputError", nullptr,
       "The output could not be produced, as `acuity` exits 4 for: out of memory or disk, an unwritable "
       "output, a model failure."},
  };
}

// Raises the class of `error`'s exit code (acuity.Error for another code).
[[noreturn]] void Raise(const CallError& error) {
  const py::module_ module = py::module_::import("acuity");
  py::object type = module.attr("Error");
  for (const ErrorClass& c : ErrorClasses())
    if (c.exit_code == error.exit_code) type = module.attr(c.name);
  PyErr_SetString(type.ptr(), error.message.c_str());
  throw py::error_already_set();
}

[[noreturn]] void RaiseUsage(const std::string& message) { Raise(CallError{kExitUsage, message}); }

// The command's value as Python objects: what `json.loads` of its JSON text
// gives (a number that is not finite is written as null there).
py::object ToPython(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::boolean: return py::bool_(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return py::int_(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: return py::int_(j.get<uint64_t>());
    case nlohmann::json::value_t::number_float: {
      const double d = j.get<double>();
      return std::isfinite(d) ? py::object(py::float_(d)) : py::object(py::none());
    }
    case nlohmann::json::value_t::string: {
      const std::string& s = j.get_ref<const std::string&>();  // bytes as the JSON text writes them
      PyObject* text = PyUnicode_DecodeUTF8(s.data(), Py_ssize_t(s.size()), "replace");
      if (text == nullptr) throw py::error_already_set();
      return py::reinterpret_steal<py::object>(text);
    }
    case nlohmann::json::value_t::array: {
      py::list list;
      for (const nlohmann::json& item : j) list.append(ToPython(item));
      return std::move(list);
    }
    case nlohmann::json::value_t::object: {
      py::dict dict;
      for (const auto& [key, value] : j.items()) dict[py::str(key)] = ToPython(value);
      return std::move(dict);
    }
    default: return py::none();
  }
}

// Keyword arguments as the command's words: max_megapixels=50 is
// "--max-megapixels=50", a True flag "--flag"; None and False are left out.
Words WordsOf(const py::kwargs& kwargs) {
  Words words;
  for (const auto& [key, value] : kwargs) {
    std::string name = py::str(key);
    for (char& c : name)
      if (c == '_') c = '-';
    if (value.is_none()) continue;
    if (py::isinstance<py::bool_>(value)) {
      if (value.cast<bool>()) words.push_back("--" + name);
      continue;
    }
    words.push_back("--" + name + "=" + std::string(py::str(value)));
  }
  return words;
}

// HxW or HxWxC, uint8, uint16 or float32 (0–1), RGB(A) → gray, BGR or BGRA.
cv::Mat PixelsOf(const py::array& array) {
  int depth = -1;
  if (py::isinstance<py::array_t<uint8_t>>(array)) depth = CV_8U;
  if (py::isinstance<py::array_t<uint16_t>>(array)) depth = CV_16U;
  if (py::isinstance<py::array_t<float>>(array)) depth = CV_32F;
  if (depth < 0)
    RaiseUsage("an array of " + std::string(py::str(array.dtype())) + ": acuity reads uint8, uint16 or float32 (0-1)");
  if (array.ndim() != 2 && array.ndim() != 3)
    RaiseUsage("an array of " + std::to_string(array.ndim()) + " dimensions: acuity reads HxW (gray) or HxWxC");
  const int channels = array.ndim() == 2 ? 1 : int(array.shape(2));
  if (channels < 1 || channels > CV_CN_MAX)
    RaiseUsage("an array of " + std::to_string(channels) + " channels: acuity reads 1 (gray), 3 (RGB) or 4 (RGBA)");
  const py::array contiguous = py::array::ensure(array, py::array::c_style);
  const cv::Mat view(int(array.shape(0)), int(array.shape(1)), CV_MAKETYPE(depth, channels),
                     const_cast<void*>(contiguous.data()));
  cv::Mat pixels;
  if (channels == 3) {
    cv::cvtColor(view, pixels, cv::COLOR_RGB2BGR);
  } else if (channels == 4) {
    cv::cvtColor(view, pixels, cv::COLOR_RGBA2BGRA);
  } else {
    pixels = view.clone();
  }
  return pixels;
}

// A path (str, bytes, os.PathLike) or an array (asked second: a path
// needs no numpy).
Input InputOf(const py::handle& object) {
  Input input;
  if (py::isinstance<py::str>(object) || py::isinstance<py::bytes>(object) || py::hasattr(object, "__fspath__")) {
    input.path = std::string(py::bytes(py::module_::import("os").attr("fsencode")(object)));  // a file name is bytes
  } else if (py::isinstance<py::array>(object)) {
    input.pixels = PixelsOf(py::reinterpret_borrow<py::array>(object));
  } else {
    RaiseUsage("expected a path or a numpy array, got " + std::string(py::str(py::type::of(object).attr("__name__"))));
  }
  return input;
}

bool IsFloatArray(const py::handle& object) {
  return py::isinstance<py::array_t<float>>(object);
}

// gray, BGR or BGRA → HxW or HxWxC RGB(A); float32 0–1 when `as_float`.
py::array ArrayOf(const cv::Mat& pixels, bool as_float) {
  cv::Mat rgb;
  if (pixels.channels() == 3) {
    cv::cvtColor(pixels, rgb, cv::COLOR_BGR2RGB);
  } else if (pixels.channels() == 4) {
    cv::cvtColor(pixels, rgb, cv::COLOR_BGRA2RGBA);
  } else {
    rgb = pixels;
  }
  if (as_float) rgb.convertTo(rgb, CV_32F, 1.0 / (rgb.depth() == CV_16U ? 65535.0 : 255.0));
  std::vector<py::ssize_t> shape = {rgb.rows, rgb.cols};
  if (rgb.channels() > 1) shape.push_back(rgb.channels());
  const py::dtype dtype = rgb.depth() == CV_32F   ? py::dtype::of<float>()
                          : rgb.depth() == CV_16U ? py::dtype::of<uint16_t>()
                                                  : py::dtype::of<uint8_t>();
  py::array out(dtype, shape);
  const size_t row_bytes = rgb.cols * rgb.elemSize();
  for (int y = 0; y < rgb.rows; ++y)
    std::memcpy(static_cast<char*>(out.mutable_data()) + y * row_bytes, rgb.ptr(y), row_bytes);
  return out;
}

// The call's value, its notes as warnings; its failure raised.
py::object Deliver(const CallResult& result) {
  if (result.error) Raise(*result.error);
  for (const std::string& note : result.notes)
    if (PyErr_WarnEx(PyExc_UserWarning, note.c_str(), 2) != 0) throw py::error_already_set();
  return ToPython(result.value);
}

// analyze and advise: `call` on one image, without the GIL.
py::object Measure(CallResult (*call)(const Input&, const Words&), const py::object& image,
                   const py::kwargs& options) {
  const Input input = InputOf(image);
  const Words words = WordsOf(options);
  CallResult result;
  {
    py::gil_scoped_release release;
    result = call(input, words);
  }
  return Deliver(result);
}

py::object Analyze(const py::object& image, const py::kwargs& options) { return Measure(CallAnalyze, image, options); }
py::object Advise(const py::object& image, const py::kwargs& options) { return Measure(CallAdvise, image, options); }

py::object Qa(const py::object& before, const py::object& after, const py::object& reference,
              const py::kwargs& options) {
  const Input input = InputOf(before), output = InputOf(after);
  const std::optional<Input> truth = reference.is_none() ? std::nullopt : std::optional<Input>(InputOf(reference));
  const Words words = WordsOf(options);
  CallResult result;
  {
    py::gil_scoped_release release;
    result = CallQa(input, output, truth, words);
  }
  return Deliver(result);
}

py::tuple Enhance(const py::object& image, const py::object& progress, const py::kwargs& options) {
  const Input input = InputOf(image);
  const Words words = WordsOf(options);
  // Called by the pipeline without the GIL: takes it, lets Python handle a
  // pending signal (Ctrl-C), calls `progress`; what they raise is kept,
  // cancels the work and is raised again once it has stopped.
  std::optional<py::error_already_set> raised;
  const PipelineProgress report = [&](double fraction, const std::string& step) {
    py::gil_scoped_acquire gil;
    if (raised) return false;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (!progress.is_none()) progress(fraction, step);
      return true;
    } catch (py::error_already_set& e) {
      raised.emplace(std::move(e));
      return false;
    }
  };
  CallResult result;
  {
    py::gil_scoped_release release;
    result = CallEnhance(input, words, report);
  }
  if (raised) throw std::move(*raised);
  py::object value = Deliver(result);
  return py::make_tuple(ArrayOf(result.pixels, IsFloatArray(image)), value);
}

constexpr char kOptionsNote[] =
    "\nOptions are the command's, as keyword arguments: --max-megapixels N is\n"
    "max_megapixels=N, a flag is True. They are checked by the command's own\n"
    "option table, and a bad one raises acuity.UsageError with its message:\n\n";

std::string Doc(const char* head, Function function) {
  return std::string(head) + kOptionsNote + OptionsHelp(function);
}

}  // namespace
}  // namespace acuity::python

PYBIND11_MODULE(acuity, m) {
  namespace ap = acuity::python;
  m.doc() =
      "acuity: image quality assessment and advice. analyze, advise, qa and enhance take a path or a numpy\n"
      "array (HxW gray or HxWxC RGB/RGBA; uint8, uint16 or float32 0-1) and return the objects\n"
      "`acuity COMMAND --json` prints. Failures raise UsageError, InputError or OutputError\n"
      "(exit codes 2, 3, 4), all acuity.Error. See docs/python.md.";
  acuity::QuietLibraryLogging();  // as the program does: failures come back as exceptions
  acuity::SetComputeThreads(0);   // OpenCV's loops on acuity's pool, as the program's
  // pybind11 sets up its numpy API on first use, in a function-local static
  // whose initialisation imports numpy, which lets other threads run: a
  // second thread arriving then waits for the static holding the GIL, the
  // first waits for the GIL (deadlock; seen with a ThreadPoolExecutor). So
  // it is set up here, at import. Without numpy, paths still work.
  try {
    (void)py::dtype::of<uint8_t>();
  } catch (const py::error_already_set&) {
    PyErr_Clear();
  }

  py::object base = py::reinterpret_steal<py::object>(
      PyErr_NewExceptionWithDoc("acuity.Error", "A failure of an acuity call; exit_code is the program's.",
                                PyExc_Exception, nullptr));
  if (!base) throw py::error_already_set();
  base.attr("exit_code") = acuity::kExitFailed;
  m.attr("Error") = base;
  for (const ap::ErrorClass& c : ap::ErrorClasses()) {
    py::tuple bases = c.python_base ? py::make_tuple(base, py::handle(c.python_base)) : py::make_tuple(base);
    py::object type = py::reinterpret_steal<py::object>(PyErr_NewExceptionWithDoc(
        (std::string("acuity.") + c.name).c_str(), c.doc, bases.ptr(), nullptr));
    if (!type) throw py::error_already_set();
    type.attr("exit_code") = c.exit_code;
    m.attr(c.name) = type;
  }

  m.def("analyze", &ap::Analyze, py::arg("image"),
        ap::Doc("analyze(image, **options) -> dict\n\n"
                "Measures the image (a path or an array): the object `acuity analyze --json` prints.\n",
                ap::Function::kAnalyze)
            .c_str());
  m.def("advise", &ap::Advise, py::arg("image"),
        ap::Doc("advise(image, **options) -> dict\n\n"
                "Measures the image and plans what to do: the object `acuity advise --json` prints\n"
                "(the analysis's fields and \"plan\").\n",
                ap::Function::kAdvise)
            .c_str());
  m.def("qa", &ap::Qa, py::arg("before"), py::arg("after"), py::arg("reference") = py::none(),
        ap::Doc("qa(before, after, reference=None, **options) -> dict\n\n"
                "Checks an enhancement result `after` against `before` (and a ground truth): the object\n"
                "`acuity qa --json` prints. A verdict of fail is dict[\"verdict\"], not an exception.\n",
                ap::Function::kQa)
            .c_str());
  m.def("enhance", &ap::Enhance, py::arg("image"), py::kw_only(), py::arg("progress") = py::none(),
        ap::Doc("enhance(image, *, progress=None, steps=STEPS | plan='auto', output=None, **options)\n"
                "    -> (pixels, dict)\n\n"
                "Runs explicit steps or the advised plan, as `acuity enhance` does, and writes `output`\n"
                "when given (without it nothing is written: the pixels are the result as the plan\n"
                "makes it, and \"output\" is None).\n"
                "Returns the result's pixels (HxWxC RGB(A), uint8 or uint16; float32 0-1 for a float32\n"
                "input) and {\"analysis\" (plan='auto'), \"plan\" (as run), \"output\"}, as in a\n"
                "`acuity batch --do enhance` record. progress(fraction, step) is called now and then;\n"
                "an exception raised in it (KeyboardInterrupt too) stops the work and is raised again.\n",
                ap::Function::kEnhance)
            .c_str());
}
