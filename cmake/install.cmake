# `cmake --install` rules and the Debian packages (CPack), docs/install.md.
#
#   cmake --install build --prefix /usr/local --component acuity
#   cpack --config build/CPackConfig.cmake -B build/package   # acuity_<version>_amd64.deb
#
# Layout under the prefix; the programs find the rest from their own location
# (analysis/io/lazy_module.h, enhance/model_registry.h), after the environment
# overrides ACUITY_TORCH_MODULE, ACUITY_OPENCV_MODULE and ACUITY_MODEL_DIR:
#   bin/acuity, bin/acuity-viewer
#   lib/acuity/libacuity_torch.so, lib/acuity/libacuity_opencv.so  (dlopen'ed modules)
#   lib/acuity/libacuity_faces.so, lib/acuity/libacuity_text.so    (faces and text, docs/content.md)
#   share/acuity/models/<name>-x<scale>.pt and .json                  (converted by setup.sh)
#   share/acuity/models/<name>-x<scale>.cuda.pt                       (with a CUDA LibTorch only)
# These relative places are what the C++ searches: not cache variables.
#
# Components: `acuity` (the programs, modules and models: the package
# acuity), `python` (the Python module: the package python3-acuity).
set(ACUITY_INSTALL_MODULE_DIR lib/acuity)
set(ACUITY_INSTALL_MODEL_DIR share/acuity/models)

install(TARGETS acuity RUNTIME DESTINATION bin COMPONENT acuity)
if(TARGET acuity-viewer)
  install(TARGETS acuity-viewer RUNTIME DESTINATION bin COMPONENT acuity)
endif()
install(TARGETS acuity_torch acuity_opencv LIBRARY DESTINATION ${ACUITY_INSTALL_MODULE_DIR} COMPONENT acuity)
# The face and text finders (analysis/measurements/content_modules/): the
# text module only where Tesseract was found at build time.
foreach(module acuity_faces acuity_text)
  if(TARGET ${module})
    install(TARGETS ${module} LIBRARY DESTINATION ${ACUITY_INSTALL_MODULE_DIR} COMPONENT acuity)
  endif()
endforeach()

# The models setup.sh converts into <build>/models (models/convert.py): they
# are not a build target, so an install without them stops and says why.
install(CODE "
  if(NOT EXISTS \"${PROJECT_BINARY_DIR}/models/esrgan-slim-x2.pt\")
    message(FATAL_ERROR \"no converted models in ${PROJECT_BINARY_DIR}/models: run ./setup.sh (or models/convert.py) before installing\")
  endif()" COMPONENT acuity)
# A model's CUDA form (<name>-x<scale>.cuda.pt: realesrgan-x4plus's, 67 MB)
# only where this build's LibTorch has CUDA; elsewhere the main file serves
# a GPU too (docs/gpu.md, "The models' CUDA forms").
get_property(acuity_torch_cuda GLOBAL PROPERTY ACUITY_TORCH_CUDA)
if(acuity_torch_cuda)
  set(acuity_cuda_forms PATTERN "*.cuda.pt")
else()
  set(acuity_cuda_forms PATTERN "*.cuda.pt" EXCLUDE)
endif()
install(DIRECTORY ${PROJECT_BINARY_DIR}/models/ DESTINATION ${ACUITY_INSTALL_MODEL_DIR} COMPONENT acuity
        FILES_MATCHING PATTERN "*.pt" PATTERN "*.json" ${acuity_cuda_forms})

# --- Debian packages ----------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME acuity)
set(CPACK_PACKAGE_VENDOR "acuity")
set(CPACK_PACKAGE_CONTACT "acuity maintainers")  # the Maintainer field Debian requires
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "image quality assessment and advice, AI upscaling")
set(CPACK_PACKAGE_DESCRIPTION "acuity tells what a picture needs to reach a target size and quality
(upscaling, sharpening, denoising, compression repair, or nothing), does it, and checks the result.
Programs acuity and acuity-viewer, the LibTorch and OpenCV modules and the super-resolution models.")
# Version from project() (the one place it is written).
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
set(CPACK_DEB_COMPONENT_INSTALL ON)
# One package per component, even while there is only one (CPack would make a
# single project-named package then): every component installed above this
# include (the top-level CMakeLists.txt includes this file last).
get_cmake_property(CPACK_COMPONENTS_ALL COMPONENTS)
list(REMOVE_ITEM CPACK_COMPONENTS_ALL Unspecified)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Dependencies: the runtime libraries the programs and modules link, found by
# dpkg-shlibdeps (dpkg-dev) in the installed files; nothing else.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The models are zip archives already: gzip -1 spends little time on them.
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
set(CPACK_THREADS 0)
set(CPACK_STRIP_FILES ON)
# Main package: acuity_<version>_amd64.deb.
set(CPACK_DEBIAN_ACUITY_PACKAGE_NAME acuity)
set(CPACK_DEBIAN_ACUITY_FILE_NAME DEB-DEFAULT)
# The data the content search reads (faces: opencv-data's cascades; text:
# Tesseract's English): without them faces and text read "not measured", so
# apt installs them by default, and a lean install may leave them out.
set(CPACK_DEBIAN_ACUITY_PACKAGE_RECOMMENDS "opencv-data, tesseract-ocr-eng")
# The Python module (component python, installed by python/): python3-acuity.
set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME python3-acuity)
set(CPACK_DEBIAN_PYTHON_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)
# Arrays in and out are numpy's; the module's own libraries come from
# shlibdeps. The models and the LibTorch/OpenCV/content modules it loads are
# the acuity package's, of the same version (their interfaces are not
# versioned across releases).
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS
    "python3 (>= 3.11), python3 (<< 3.12), python3-numpy, acuity (= ${PROJECT_VERSION})")
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
include(CPack)
