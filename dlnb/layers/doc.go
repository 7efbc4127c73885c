// Package layers holds the building blocks of the course's networks, one
// small type per layer with Forward and Backward side by side, as in the
// course's common/layers.py: Affine, Relu, Sigmoid, Tanh, SoftmaxWithLoss,
// Dropout, BatchNormalization, Convolution and Pooling (max or average).
//
// Forward(x, train) returns the layer's output and keeps what Backward needs;
// Backward(dout) takes ∂L/∂out and returns ∂L/∂x, storing the gradients of the
// layer's parameters (DW, DB, DGamma, DBeta). train selects training
// behaviour where it matters (dropout masks, batch statistics) and is ignored
// elsewhere.
//
// Returned tensors belong to the layer: they are reused (overwritten) by the
// next call, so one training step allocates nothing once the shapes are
// known. Clone a result to keep it. Shapes are checked and mismatches are
// errors naming both shapes.
package layers
