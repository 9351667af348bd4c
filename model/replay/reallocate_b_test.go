package replay

import "testing"

// TestFastReallocationMatchesPersistent replays generated logs of 0.7.14 and
// 0.8.3 twice, with the fast reallocation and with the persistent one (the
// fallback for ids Go cannot compare), and checks that every replica prints
// the same: same content, same iteration order.
func TestFastReallocationMatchesPersistent(t *testing.T) {
	requireSameReplayB(t, []string{"0.7.14", "0.8.3"}, 16, 4, 1200, &bSlowOnly, func() {
		lastUnchangedB.Store(nil)
	}, "fast and persistent reallocation", "fast", "slow")
}
