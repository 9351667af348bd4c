//go:build !unix

package sim

import "time"

// processCPUTime is not measured here; the benchmarks then report wall-clock
// figures only.
func processCPUTime() (time.Duration, bool) { return 0, false }
