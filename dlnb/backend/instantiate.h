// instantiate.h: includes the body named by DLNB_BODY once per precision,
// float32 (DLNB_D = 0) then float64 (DLNB_D = 1), with the build's ISA
// turned on (DLNB_TARGET_BEGIN of its ISA header). gemm_build.h and
// kernels_build.h use it:
//
//   #define DLNB_BODY "kernels_body.h"
//   #include "instantiate.h"
DLNB_TARGET_BEGIN
#define DLNB_D 0
#include DLNB_BODY
#undef DLNB_D
#define DLNB_D 1
#include DLNB_BODY
#undef DLNB_D
DLNB_TARGET_END
#undef DLNB_BODY
