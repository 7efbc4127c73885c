package browser

import "github.com/go-rod/rod/lib/proto"

var (
	protoContinue = proto.FetchContinueRequest{}
	errBlocked    = proto.NetworkErrorReasonBlockedByClient
)
