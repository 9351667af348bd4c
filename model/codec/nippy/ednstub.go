package nippy

import (
	"errors"

	"onyx-dashboard/model/value"
)

// TODO(edn): use edn.Read once model/codec/edn builds.
var ednRead = func(b []byte) (value.Value, error) { return nil, errors.New("edn reader missing") }
