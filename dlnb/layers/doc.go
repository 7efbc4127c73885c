// Package layers holds the building blocks of the course's networks, one
// small type per layer with Forward and Backward side by side, as in the
// course's common/layers.py: Affine, Relu, Sigmoid, Tanh, SoftmaxWithLoss,
// Dropout, BatchNormalization, Convolution and Pooling (max or average), and
// for 2_9's networks GlobalAvgPooling, GlobalMaxPooling, Flatten and LRN. It
// is the fast version of package ref, tested against it (ref_test.go); the
// element-wise kernels it calls are package backend's. The window
// arithmetic of convolution and pooling (ConvOutSize, LostPixels) is in
// window.go, the label checks of the loss (CheckLabels) in softmax.go.
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
