//go:build unix

package sim

import (
	"syscall"
	"time"
)

// processCPUTime is the user and system time of this process so far: on a
// shared machine the benchmarks report entries per CPU second beside the
// wall-clock figure.
func processCPUTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
