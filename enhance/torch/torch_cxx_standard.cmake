# acuity_torch_cxx_standard(VAR): the C++ standard that the LibTorch found by
# find_package(Torch) asks for, never below 17 or the project's own. Its TorchConfig.cmake sets
# CXX_STANDARD on the imported `torch` target (14 or 17 on older releases,
# 20 on recent ones, whose ATen.h stops a C++17 build with #error), but that
# property does not reach the targets that include LibTorch's headers: each
# of them (the module, and the tests and benchmarks that include LibTorch)
# sets it from this. Only C types cross the module's boundary
# (sr_module_abi.h), so the module may use another standard than the programs.
function(acuity_torch_cxx_standard var)
  set(standard 17)
  if(CMAKE_CXX_STANDARD AND CMAKE_CXX_STANDARD GREATER standard)
    set(standard ${CMAKE_CXX_STANDARD})
  endif()
  if(TARGET torch)
    get_target_property(wanted torch CXX_STANDARD)
    if(wanted AND wanted GREATER standard)
      set(standard ${wanted})
    endif()
  endif()
  set(${var} ${standard} PARENT_SCOPE)
endfunction()
