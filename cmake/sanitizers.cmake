# The hardening builds (README "Development"): `./setup.sh asan` configures
# build-asan with clang and
#   ACUITY_SANITIZE=ON  every target compiled and linked with AddressSanitizer
#                       and UndefinedBehaviorSanitizer; any UB finding aborts
#                       (-fno-sanitize-recover), so a finding fails its test.
#   ACUITY_FUZZ=ON      the libFuzzer targets of fuzz/ (needs ACUITY_SANITIZE
#                       and clang); fuzz/CMakeLists.txt adds coverage
#                       instrumentation to the libraries they reach.
# Every executable of such a build carries its sanitizer defaults
# (cmake/sanitizer_defaults.cc.in: options and the leak suppressions of
# cmake/lsan_suppressions.txt), so a test, a fuzzer or `acuity` itself behaves
# the same from ctest, from a shell or under gtest discovery.
#
#   cmake -S . -B build-asan -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
#         -DACUITY_SANITIZE=ON -DACUITY_FUZZ=ON
option(ACUITY_SANITIZE "Build everything with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(ACUITY_FUZZ "Build the libFuzzer targets of fuzz/ (clang, with ACUITY_SANITIZE)" OFF)

if(ACUITY_FUZZ AND NOT (ACUITY_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang"))
  message(FATAL_ERROR "ACUITY_FUZZ needs clang (-DCMAKE_CXX_COMPILER=clang++) and ACUITY_SANITIZE=ON")
endif()

if(ACUITY_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)

  # The sanitizer runtime's defaults, compiled into every executable.
  file(READ ${CMAKE_CURRENT_LIST_DIR}/lsan_suppressions.txt ACUITY_LSAN_SUPPRESSIONS)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/sanitizer_defaults.cc.in
                 ${CMAKE_BINARY_DIR}/sanitizer_defaults.cc @ONLY)
  add_library(acuity_sanitizer_defaults OBJECT ${CMAKE_BINARY_DIR}/sanitizer_defaults.cc)
  link_libraries($<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:acuity_sanitizer_defaults>)
endif()
