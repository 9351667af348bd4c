// Package zktest is for tests only: it says where the ZooKeeper that
// integration tests run against is, the one scripts/zk-test.sh starts for
// make test.
package zktest

import (
	"os"
	"testing"
)

// Addr returns the test ZooKeeper's address (ONYX_ZK_TEST_ADDR). Without one
// the test is skipped, unless ONYX_ZK_REQUIRED=1 (as under make test) says a
// server must be there: then the test fails.
func Addr(tb testing.TB) string {
	tb.Helper()
	addr := os.Getenv("ONYX_ZK_TEST_ADDR")
	if addr == "" {
		if os.Getenv("ONYX_ZK_REQUIRED") == "1" {
			tb.Fatal("ONYX_ZK_REQUIRED=1 but ONYX_ZK_TEST_ADDR is not set (start one with scripts/zk-test.sh start)")
		}
		tb.Skip("ONYX_ZK_TEST_ADDR is not set: no ZooKeeper to test against")
	}
	return addr
}
