//go:build !linux

package timeline

import "time"

// threadCPUTime is not measured outside Linux.
func threadCPUTime() (time.Duration, bool) { return 0, false }

func processCPUTime() (time.Duration, bool) { return 0, false }
