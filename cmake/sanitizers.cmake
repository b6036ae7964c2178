# The hardening builds (docs/development.md): `./setup.sh asan` configures
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
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/lsan_suppressions.txt)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/sanitizer_defaults.cc.in
                 ${CMAKE_BINARY_DIR}/sanitizer_defaults.cc @ONLY)
  add_library(acuity_sanitizer_defaults OBJECT ${CMAKE_BINARY_DIR}/sanitizer_defaults.cc)
  link_libraries($<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:acuity_sanitizer_defaults>)
endif()

# In the sanitizer build each GoogleTest program is one ctest (all its tests
# in one process; the longest split in a few shards, below) rather than one
# ctest per test: a sanitized process that
# loads OpenCV and LibTorch takes seconds to start, several hundred of them
# would take most of CI's time. Called after include(GoogleTest); the
# failing test's name is in the program's output.
# The programs whose tests mostly run the super-resolution networks at real
# sizes (minutes each even unsanitized; LibTorch itself is not instrumented)
# are labelled `heavy` and left to the main build, so that `./setup.sh test`
# stays within CI's 40 minutes. The sanitizer run covers the io, json, cli,
# measurement and advice unit tests (the last two the longest: 8 and 15
# minutes sanitized on 2 cores in CI before the QA variants below were left
# out; comparison tracing is kept out of the measurements: fuzz/CMakeLists.txt), the fuzz targets (their corpora replayed, Analyze
# on images up to 256² included), and the end-to-end tests of analyze,
# advise, report, the JSON contract and the bad-input corpus.
set(ACUITY_SANITIZER_HEAVY_TESTS enhance_test enhance_e2e_test qa_e2e_test robust_e2e_test batch_e2e_test
    startup_e2e_test slurm_batch_test memory_ladder_e2e_test destinations_e2e_test)
# Tests a program's sanitized run leaves out: the QA cases that run the same
# checks on more defects of more photos (their thresholds are checked by
# the main build) — sanitized, each QA costs 10–60 s on 2 cores, and
# advice_test had grown to 900 s, ctest's limit. Every QA check and path
# still runs sanitized: each QA test runs every check, and one case of
# each kind (an enhancement, 16-bit and gray, a cut-out, a crop, a canvas,
# alpha, local detail, noise, inherited blur, content) stays.
set(ACUITY_SANITIZER_SKIPPED_advice_test
    Qa.AnEnlargementByCopyingPixelsFails Qa.AStrongUnsharpMaskAfterAPlainEnlargementFails
    Qa.MeasurementsFollowTheStrengthOfTheDefect Qa.ATilersGridOfFewLinesPerAxisFails
    Qa.RemovingTheInputsBlockingIsNotLostFidelity QaGeometryTest.AFlattenAskedForPasses
    QaGeometryTest.DroppedAlphaFailsAndKeptAlphaPasses
    QaLocalDetail.APartBlurredIsFoundThoughTheWholeKeepsItsDetail
    QaLocalDetail.PlainAndSharpenedOutputsLoseNoPartAWhollyBlurredOneAllOfIt
    QaLocalDetail.RemovingTheInputsNoiseOrBlockingLosesNoPart
    Qa.TheTrueHighResolutionPhotoPasses Qa.ALowQualityJpegOutputFails
    # 2026-11-26: CI reached 39-42 min; the longest advice case left (7 s
    # unsanitized; the screenshot's other readings stay in SyntheticAdviceTest).
    SyntheticAdviceTest.AJpegOfAScreenshotIsNeitherSmearedNorEnlarged
    # 2026-11-27: advice_test ran past ctest's 900 s sanitized (a clean
    # clone's .ci/run on the 2-core EPYC): its five longest cases, 36-201 s
    # each sanitized (480 s together; QA of a soft tile, a turned and a
    # mirrored output, a JPEG's blocks inherited or heavy), run unsanitized in
    # the main build; the QA's other geometry and JPEG cases stay here.
    # Sanitized times per test: `build-asan/analysis/advice/advice_test`.
    QaLocalDetail.ATileThatCameOutSoftOrBlankIsFoundWhole QaGeometryTest.ATurnedOutputFailsForItsTurnAlone
    QaGeometryTest.AMirroredOutputFailsForItsMirrorAlone QaJpegTest.TheInputsOwnBlocksAreInheritedNotAdded
    QaJpegTest.HeavyBlocksFailWhateverTheContainer
    # and the next five (33-135 s each sanitized beside another program):
    # the local-detail QA of a noisy picture made soft and of noise taken
    # away, the noise amplification ratio, a trim or mat, 16-bit and gray.
    QaLocalDetail.ANoisyPictureMadeSoftIsStillCaught QaLocalDetail.NoiseTakenAwayIsNotDetailLost
    QaNoise.AmplificationIsTheRatioOfTheNoise QaGeometryTest.ATrimOrAMatOfTheSameAspectIsNoDamage
    Qa.SixteenBitAndGrayImages
    # 2026-11-28: the dithered GIF's QA (0.7 s unsanitized, a QA of two
    # pictures); the dither's reading, verdicts and plan stay sanitized.
    DitherAdviceTest.QaJudgesADitheredInputWithAndWithoutItsDots
    # and the pixel art's plan with its QA (0.6 s unsanitized); its squares'
    # reading and a photo's plan stay sanitized.
    PixelArtAdviceTest.SquaresAreRepeatedToTheTargetNotUpscaled
    # 2026-11-28: advice_test took 883 s sanitized in CI, 17 s short of
    # ctest's limit (915 s here, beside a build): fourteen cases of 13-34 s
    # each sanitized (332 s together) run unsanitized only: the severe-blur
    # threshold over ten photos; the QA of a tile grid, halos, a colour
    # shift, a JPEG save of its own, a cut-out on white, fake texture, a
    # blurred upscale, a severe inherited blur, a squash and a print crop;
    # a marketplace's padded frame; pixel art enlarged by another kernel; an
    # even smear's story. Each QA check still runs sanitized in every QA
    # case that stays (a good enhancement, a JPEG grid that is no seam, a
    # made-transparent output, a shop canvas, same-size outputs).
    BlurUncertaintyTest.PhotosBlurredAtTheSevereThresholdGetOnePlan Qa.ATileSeamGridFailsOnTileSeams
    Qa.OverSharpeningFailsOnHalos Qa.AColourShiftFailsOnColour
    QaJpegTest.ASaveOfItsOwnAtTheInputsSizeIsAddedNotInherited QaGeometryTest.ACutoutIsComparedAsSeenOnWhite
    MarketplaceAdviceTest.APaddedFrameIsJudgedAsTheResultWillBe
    SyntheticAdviceTest.PixelArtEnlargedByAnotherKernelHasNoSeams Qa.FakeTextureInTheSkyFailsOnFakeTexture
    Qa.ABlurredUpscaleFailsOnDetail QaInheritedBlurTest.ASevereBlurWarnsAndABorderlineOneDoesNot
    OneStoryTest.AnEvenSmearHasNoPartInFocus QaGeometryTest.SquashedOutputFails
    QaGeometryTest.PrintCropIsCheckedAgainstTheKeptPart
    # 2026-11-28 (session 50): CI of the last stop took 2286 s of its 2400;
    # advice_test alone, sanitized and idle: 580 s. The tone-curve QA
    # cases (12 QAs of whole photos, 58 s sanitized before the last two;
    # the curve is fitted, sanitized, in every QA case that stays, and
    # applied in ToneCurveTest — no sanitized QA case re-curves), a night shot's noisy
    # edges (48 s) and a reduction's inherited blur (26 s; reductions stay
    # in Qa.SameSizeAndSmallerOutputs).
    QaTone.* QaLocalDetail.ANightShotsNoiseDoesNotChooseItsEdges
    QaInheritedBlurTest.AReductionIsJudgedAtItsOwnSize
    # 2026-11-29 (session 51): this session's whole-photo sweeps (an
    # enlargement's added noise at x2-x4, unsharp masks across the light-halo
    # band, QA's input blur against analyze's, film grain's noisy flats: 58
    # QAs and analyses, about 16 s unsanitized). Each path still runs
    # sanitized: every QA of an enlargement reads its noise against the
    # plain one and its flats with the input's noise as analyze reads it;
    # the band's taper in HaloAdviceTest.TheSharpenFalls..., a re-curve in
    # QaToneSmall.
    QaNoise.AnEnlargementsAddedNoiseReadsAsAtTheInputsSize HaloAdviceTest.PhotosSharpenedBeforeAreSharpenedLess
    QaInheritedBlurTest.TheInputsBlurIsAnalyzesReading QaPaintedFlats.FilmGrainsNoisyFlatsAreTheAreaAnalyzeReports)
# The same for the measurements (measurements_test took 650 s sanitized,
# the longest program of the run): the accuracy ladders on many photos and
# the repeatability checks, 15–40 s each sanitized. Each measurement still
# runs sanitized on photos, its map included, in the tests that stay (a
# noise ladder, blur on real photos and a big image's map, an evenly
# blurred photo for depth of field, every interpolation kernel, a smear at
# its length, Analyze with maps), and the main build checks the ladders.
# Sanitized times per test: `build-asan/analysis/measurements/measurements_test`.
set(ACUITY_SANITIZER_SKIPPED_measurements_test
    AnalyzeTest.RepeatableAcrossRuns AnalyzeTest.MeasurementsRunAloneGiveAnalyzesFigures
    NoiseTest.MeasuresAddedNoiseOnRealPhotos BlurTest.NoiseCoarsensTheResolutionAndTheTruthStaysInside
    BlurFocusTest.ASoftSubjectReadsItsOwnBlur BlurFocusTest.ASharpSubjectIsReadSharp
    UpscaleDetectTest.AKernelEnlargementInAJpegFileIsNeverCalledAi
    MotionBlurTest.AnInterpolatedUpscaleIsNotASmearButAnEnlargedSmearIs
    # 2026-11-26 (CI at 39-42 min): the face detector's false-positive sweep
    # over photos and its large-photo search (a pasted and a profile face
    # stay sanitized), and correlated noise on binned levels (5 s each or
    # more unsanitized).
    FacesTest.FewFalseFacesInPhotosWithoutPeople FacesTest.ALargePhotoToBeEnlargedIsSearchedForSmallFaces
    NoiseTest.CorrelatedNoiseIsReadBinned
    # 2026-11-28: two whole analyses of a dithered photo (1.3 s unsanitized);
    # the dither's own tests stay sanitized.
    AnalyzeTest.ADitheredPictureReadsItsDotsAsDitherNotNoise
    # 2026-11-28: measurements_test ran past ctest's 900 s sanitized in CI
    # (1045 s here, beside a build): its nine longest cases, 24-168 s each
    # sanitized (536 s together): an enlargement's depth of field on 32
    # whole analyses, grain by brightness on a ladder, a cut-out read with
    # four fills under it, strong and natural sharpening on photos, a
    # watermark's, a chroma layout's and a marketplace target's analyses
    # against the plain one, output size against 44 real encodes, shadow
    # noise. Their measurements stay sanitized in the other cases of each
    # suite (NoiseLevelTest, VisiblePartTest, OversharpeningTest,
    # BlurFocusTest, OutputSizeTest, AnalyzeTest).
    BlurFocusTest.AnEnlargementIsNotAShallowDepthOfField NoiseLevelTest.GrainThatGrowsWithBrightnessIsReadWhereItIs
    VisiblePartTest.ACutOutReadsTheSameWhateverIsStoredUnderItsTransparency
    OversharpeningTest.StrongSharpeningIsDetectedAndNaturalImagesAreNot
    AnalyzeTest.AWatermarkDoesNotChangeThePhotosReadings AnalyzeTest.TheChromaNoiseOfASubsampledJpegIsNotMeasured
    OutputSizeTest.EstimatesTheRealEncodeWithinAQuarter AnalyzeTest.NoiseInTheShadowsIsNotReadAsDetail
    AnalyzeTest.AMarketplaceTargetChangesNoReading
    # 2026-11-28 (session 50, CI at 2286 s of 2400; measurements_test 388 s
    # sanitized and idle): enlargements of 5-16x on photos (19 s), a
    # dithered photo's whole analyses (18 s), and two noise-level ladders
    # (12 s each); the enlargement search, the dither and the level function
    # stay sanitized in the other UpscaleDetectTest, DitherTest and
    # NoiseLevelTest cases.
    UpscaleDetectTest.LargeInterpolatedFactorsAreRead AnalyzeTest.ADitheredPhotosBlurIsThePhotosNotItsDots
    NoiseLevelTest.TheHighSearchDoesNotReadTextureAsNoise NoiseLevelTest.FollowsSignalDependentNoise
    # 2026-11-29 (session 51): the halftone sweeps (96 screens, 54 photos
    # and variants; 4 and 3 s unsanitized) and the soft photos' overlay
    # sweep (36 readings); the screen reading stays sanitized in
    # HalftoneTest's other cases and HalftoneAdviceTest, the strokes in the
    # other ContentKindTest cases.
    HalftoneTest.ScreensAreFoundAtTheirPeriodAndAngle HalftoneTest.PhotosAndTheirEnlargementsHaveNone
    ContentKindTest.ASoftPhotosClippedHighlightsAreNotDrawn
    # 2026-11-29 (session 52): the straightened enlargements' sweep (72
    # pictures), the straightened natives' (78) and the x3 factor's (8; 5, 13
    # and 2 s unsanitized);
    # the tilted grid's search, the turn back and its reading stay sanitized
    # in TiltedGridTest.TheGridsTurnAndFrequencyAreFound.
    TiltedGridTest.AStraightenedEnlargementIsReadAtItsFactor TiltedGridTest.StraightenedNativePhotosStayNative
    TiltedGridTest.AThreefoldEnlargementTurnedIsNotReadAsOneAndAHalf)

# The programs split into GoogleTest shards in the sanitized run: advice_test
# ran past ctest's 900 s beside a build (session 52's clean clone, 2 cores),
# measurements_test took 650-700 s.
set(ACUITY_SANITIZER_SHARDS_advice_test 3)
set(ACUITY_SANITIZER_SHARDS_measurements_test 2)

# A function, not a macro: a macro would substitute its own (empty) ${ARGN}
# into the body below, and the tests' PROPERTIES (ACUITY_SOURCE_DIR) were lost.
function(acuity_sanitizer_gtest_per_program)
  function(gtest_discover_tests target)
    cmake_parse_arguments(ARG "" "DISCOVERY_TIMEOUT" "PROPERTIES" ${ARGN})
    set(filter)
    if(DEFINED ACUITY_SANITIZER_SKIPPED_${target})
      list(JOIN ACUITY_SANITIZER_SKIPPED_${target} ":" skipped)
      set(filter "--gtest_filter=-${skipped}")
    endif()
    # A long program runs as ACUITY_SANITIZER_SHARDS_<program> ctests, each
    # one of GoogleTest's shards (every Nth test), so that none nears
    # ctest's 900 s and both cores share the work.
    set(names ${target})
    if(DEFINED ACUITY_SANITIZER_SHARDS_${target})
      set(names)
      math(EXPR last "${ACUITY_SANITIZER_SHARDS_${target}} - 1")
      foreach(i RANGE ${last})
        list(APPEND names ${target}_shard${i})
      endforeach()
    endif()
    set(index 0)
    foreach(name IN LISTS names)
      add_test(NAME ${name} COMMAND ${target} ${filter})
      if(ARG_PROPERTIES)
        set_tests_properties(${name} PROPERTIES ${ARG_PROPERTIES})
      endif()
      if(NOT name STREQUAL target)
        set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT
                     GTEST_TOTAL_SHARDS=${ACUITY_SANITIZER_SHARDS_${target}} GTEST_SHARD_INDEX=${index})
      endif()
      if(target IN_LIST ACUITY_SANITIZER_HEAVY_TESTS)
        set_tests_properties(${name} PROPERTIES LABELS heavy)
      endif()
      math(EXPR index "${index} + 1")
    endforeach()
  endfunction()
endfunction()
