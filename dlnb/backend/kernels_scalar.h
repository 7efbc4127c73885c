// kernels_scalar.h: the kernels that kernels_avx512.c and kernels_avx2.c share
// word for word: col2im and 2×2 max pooling are plain C loops (the compiler
// vectorises them for the file's target). Each file instantiates them with
// its own names and target attribute (ATTR: T512 there, nothing here).
#ifndef DLNB_KERNELS_SCALAR_H
#define DLNB_KERNELS_SCALAR_H

#include <string.h>

// img (C, H, W) = the sum of every column entry at the pixel it was read
// from, in the order of the Go loop (the compiler vectorises the inner loop).
#define COL2IM(NAME, TYPE, ATTR)                                                                                    \
	ATTR void NAME(TYPE *img, const TYPE *col, int c, int h, int w, int fh, int fw, int pad, int oh, int ow) {  \
		memset(img, 0, sizeof(TYPE) * (long)c * h * w);                                               \
		long p = (long)oh * ow;                                                                       \
		long r = 0;                                                                                   \
		for (int ch = 0; ch < c; ch++) {                                                              \
			TYPE *plane = img + (long)ch * h * w;                                                 \
			for (int ky = 0; ky < fh; ky++)                                                       \
				for (int kx = 0; kx < fw; kx++, r++) {                                        \
					const TYPE *src = col + r * p;                                        \
					int off = kx - pad;                                                   \
					int lo = -off > 0 ? -off : 0, hi = w - off < ow ? w - off : ow;       \
					if (lo > ow) lo = ow;                                                 \
					if (hi < lo) hi = lo;                                                 \
					for (int oy = 0; oy < oh; oy++) {                                     \
						int iy = oy - pad + ky;                                       \
						if (iy < 0 || iy >= h) continue;                              \
						TYPE *dst = plane + (long)iy * w + off;                       \
						const TYPE *line = src + (long)oy * ow;                       \
						for (int ox = lo; ox < hi; ox++) dst[ox] += line[ox];         \
					}                                                                     \
				}                                                                             \
		}                                                                                             \
	}

/* ---------------- 2×2 max pooling, stride 2, no padding ---------------- */
// For each plane (h×w, both even) writes the window maxima and the index of
// the first maximum (window order: top-left, top-right, bottom-left,
// bottom-right), as the general Go loop does.
#define MAXPOOL(NAME, TYPE, ATTR)                                                                     \
	ATTR void NAME(TYPE *out, int *argmax, const TYPE *x, long planes, int h, int w) {           \
		int oh = h / 2, ow = w / 2;                                                     \
		for (long pl = 0; pl < planes; pl++) {                                          \
			const TYPE *src = x + pl * h * w;                                       \
			TYPE *dst = out + pl * oh * ow;                                         \
			int *am = argmax + pl * oh * ow;                                        \
			for (int oy = 0; oy < oh; oy++) {                                       \
				const TYPE *r0 = src + (2 * oy) * w, *r1 = r0 + w;              \
				for (int ox = 0; ox < ow; ox++) {                               \
					int i0 = 2 * oy * w + 2 * ox;                           \
					TYPE best = r0[2 * ox];                                 \
					int bi = i0;                                            \
					if (r0[2 * ox + 1] > best) best = r0[2 * ox + 1], bi = i0 + 1; \
					if (r1[2 * ox] > best) best = r1[2 * ox], bi = i0 + w;  \
					if (r1[2 * ox + 1] > best) best = r1[2 * ox + 1], bi = i0 + w + 1; \
					dst[oy * ow + ox] = best;                               \
					am[oy * ow + ox] = bi;                                  \
				}                                                               \
			}                                                                       \
		}                                                                               \
	}

#endif
