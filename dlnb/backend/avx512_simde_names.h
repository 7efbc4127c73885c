// The SIMDe build's symbol names (tests only, -tags dlnb_simde): the native
// entry points renamed dlnb_emu_*, so that both builds link into one test
// binary. Included before dlnb_avx512.h and the C sources.
#ifndef DLNB_AVX512_SIMDE_NAMES_H
#define DLNB_AVX512_SIMDE_NAMES_H
#define dlnb_get_impl dlnb_emu_get_impl
#define dlnb_aligned_alloc dlnb_emu_aligned_alloc
#define dlnb_kernels_free_buffers dlnb_emu_kernels_free_buffers
#define dlnb_avx512_supported dlnb_emu_avx512_supported
#define dlnb_sgemm_avx512 dlnb_emu_sgemm_avx512
#define dlnb_dgemm_avx512 dlnb_emu_dgemm_avx512
#define dlnb_srows_avx512 dlnb_emu_srows_avx512
#define dlnb_drows_avx512 dlnb_emu_drows_avx512
#define dlnb_adam_s dlnb_emu_adam_s
#define dlnb_adam_d dlnb_emu_adam_d
#define dlnb_relu_fwd_s dlnb_emu_relu_fwd_s
#define dlnb_relu_fwd_d dlnb_emu_relu_fwd_d
#define dlnb_relu_bwd_s dlnb_emu_relu_bwd_s
#define dlnb_relu_bwd_d dlnb_emu_relu_bwd_d
#define dlnb_im2col_s dlnb_emu_im2col_s
#define dlnb_im2col_d dlnb_emu_im2col_d
#define dlnb_col2im_s dlnb_emu_col2im_s
#define dlnb_col2im_d dlnb_emu_col2im_d
#define dlnb_rowsum_add_s dlnb_emu_rowsum_add_s
#define dlnb_rowsum_add_d dlnb_emu_rowsum_add_d
#define dlnb_maxpool2_s dlnb_emu_maxpool2_s
#define dlnb_maxpool2_d dlnb_emu_maxpool2_d
#endif
