package main

// Gradients that GoMLX v0.26.0 cannot give on the simplego backend, and one it
// gives slowly. They are registered in graph.VJPRegistration, GoMLX's own table
// of gradient functions, before any graph is built.

import (
	"fmt"
	"sync"

	"github.com/gomlx/gomlx/pkg/core/graph"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// ourConvs are the ids of the ConvGeneral nodes conv2d built (stride 1, no
// dilation, symmetric padding, NHWC input, HWIO kernel), per graph.
var ourConvs sync.Map // [2]int{graphId, nodeId} → true

func markConv(y *Node) {
	if y.Type() != NodeTypeConvGeneral {
		panic(fmt.Sprintf("conv2d: Convolve built a %s node, not ConvGeneral", y.Type()))
	}
	ourConvs.Store([2]int{int(y.Graph().GraphId()), int(y.Id())}, true)
}

// installConvGradient replaces the gradient of ConvGeneral for the convolutions
// conv2d builds. GoMLX's own gradient with respect to the input flips the kernel
// with the Reverse op, which simplego v0.26.0 does not implement ("op Reverse
// not implemented in SimpleGo yet"), so no CNN can be trained on it as is. This
// one is the same computation (the input gradient is a convolution of the
// output gradient with the flipped, transposed kernel; the kernel gradient a
// convolution of the input with the output gradient), the flip done with
// slices and a concatenation. Other convolutions keep GoMLX's gradient.
func installConvGradient() {
	stock := graph.VJPRegistration[NodeTypeConvGeneral]
	graph.VJPRegistration[NodeTypeConvGeneral] = func(node *Node, vjps []*Node, outputShape shapes.Shape) []*Node {
		if _, ok := ourConvs.Load([2]int{int(node.Graph().GraphId()), int(node.Id())}); !ok || !outputShape.IsScalar() {
			return stock(node, vjps, outputShape)
		}
		x, kernel, v := node.Inputs()[0], node.Inputs()[1], vjps[0]
		k := kernel.Shape().Dimensions[0] // square kernels
		pad := (node.Shape().Dimensions[1] - x.Shape().Dimensions[1] + k - 1) / 2

		var dx *Node
		if x.Type() != NodeTypeParameter { // the images need no gradient
			flipped := flip(flip(kernel, 0), 1)
			axes := ConvolveAxesConfig{
				InputBatch: 0, InputSpatial: []int{1, 2}, InputChannels: 3,
				// the kernel's output channels are this convolution's input channels
				KernelSpatial: []int{0, 1}, KernelInputChannels: 3, KernelOutputChannels: 2,
				OutputBatch: 0, OutputSpatial: []int{1, 2}, OutputChannels: 3,
			}
			q := k - 1 - pad
			dx = Convolve(v, flipped).AxesConfig(axes).Strides(1).PaddingPerDim([][2]int{{q, q}, {q, q}}).Done()
		}
		// dW[ky,kx,ci,co] = Σ_{n,y,x} xpad[n,y+ky,x+kx,ci] · v[n,y,x,co]: a convolution
		// with the channels ci as batch and the batch n as the contracted channels.
		axes := ConvolveAxesConfig{
			InputBatch: 3, InputSpatial: []int{1, 2}, InputChannels: 0,
			KernelSpatial: []int{1, 2}, KernelInputChannels: 0, KernelOutputChannels: 3,
			OutputBatch: 2, OutputSpatial: []int{0, 1}, OutputChannels: 3,
		}
		dw := Convolve(x, v).AxesConfig(axes).Strides(1).PaddingPerDim([][2]int{{pad, pad}, {pad, pad}}).Done()
		return []*Node{dx, dw}
	}
}

// flip reverses x along axis with slices and a concatenation.
func flip(x *Node, axis int) *Node {
	n := x.Shape().Dimensions[axis]
	parts := make([]*Node, n)
	for i := range n {
		parts[i] = SliceAxis(x, axis, AxisElem(n-1-i))
	}
	return Concatenate(parts, axis)
}

// installGemmDotGradient makes the gradient of a matrix product (Dot of two
// matrices: every affine layer, layers.Dense) two matrix products
// (dX = V·Wᵀ, dW = Xᵀ·V). GoMLX v0.26.0 broadcasts V to [i, j, k], multiplies
// elementwise and sums an axis away; XLA fuses that back into a gemm, simplego
// runs it as written (upstream changed this after v0.26.0: gomlx/gomlx#428).
// Only with --gemm-grad.
func installGemmDotGradient() {
	stock := graph.VJPRegistration[NodeTypeDot]
	graph.VJPRegistration[NodeTypeDot] = func(node *Node, vjps []*Node, outputShape shapes.Shape) []*Node {
		x, w := node.Inputs()[0], node.Inputs()[1]
		if x.Rank() != 2 || w.Rank() != 2 || !outputShape.IsScalar() {
			return stock(node, vjps, outputShape)
		}
		v := vjps[0]                                         // [i, k]
		dx := DotGeneral(v, []int{1}, nil, w, []int{1}, nil) // [i, j]
		dw := DotGeneral(x, []int{0}, nil, v, []int{0}, nil) // [j, k]
		return []*Node{dx, dw}
	}
}
