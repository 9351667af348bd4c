package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/zktest"
)

func TestPrintTenancies(t *testing.T) {
	created := time.Date(2019, 8, 31, 12, 0, 0, 0, time.UTC)
	ts := []zklog.Tenancy{
		{ID: "prod", Created: created, Modified: created.Add(time.Hour), FirstSeq: 120, LastSeq: 4200, Count: 4081, Pulses: 3,
			Version: zklog.Detection{Version: "0.14.6", Era: "D", Exact: true}},
		{ID: "fresh", Created: created, Modified: created, FirstSeq: -1, LastSeq: -1,
			Version: zklog.Detection{Version: "0.6.0–0.7.x", Era: "B"}},
	}
	var b bytes.Buffer
	if err := printTenancies(&b, ts); err != nil {
		t.Fatal(err)
	}
	want := `TENANCY  CREATED              MODIFIED             FIRST  LAST  ENTRIES  PULSES  ONYX         ERA
prod     2019-08-31 12:00:00  2019-08-31 13:00:00  120    4200  4081     3       0.14.6       D
fresh    2019-08-31 12:00:00  2019-08-31 12:00:00  -      -     0        0       0.6.0–0.7.x  B
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestDeploymentsFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no --zk is a usage error", nil, exitUsage, "--zk is required"},
		{"a stray argument is a usage error", []string{"--zk", "h:1", "extra"}, exitUsage, `unexpected argument "extra"`},
		{"a missing CA file is a usage error", []string{"--zk", "h:1", "--tls-ca", "/nonexistent.pem"}, exitUsage, "--tls-ca"},
		{"an unreachable ensemble fails within the timeout", []string{"--zk", "127.0.0.1:1", "--timeout", "1s"}, exitFailure, "no zookeeper session"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runCommand(append([]string{"deployments"}, c.args...), &out, &errb)
			if code != c.code || !strings.Contains(errb.String(), c.err) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errb.String(), c.code, c.err)
			}
		})
	}
}

func TestIntegration_DeploymentsOfAnEmptyChroot(t *testing.T) {
	addr := zktest.Addr(t)
	var out, errb bytes.Buffer
	zkAddr := addr + "/onyx-dashboard-test/no-such-chroot"
	code := runCommand([]string{"deployments", "--zk", zkAddr}, &out, &errb)
	if code != exitOK || out.String() != "no tenancies under "+zkAddr+"\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}
