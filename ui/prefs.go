package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
)

// Preference keys. Positions are kept as Seqs, which survive garbage
// collection; positions (timeline indexes) would not.
const (
	prefZKConns = "sources.zookeeper" // one "addr\ttimeout\tuser" per connection
	prefFiles   = "sources.files"     // recently opened archives and EDN logs
	prefPos     = "position."         // + source key + "|" + tenancy: the Seq, -1 for Live
	maxFiles    = 8
)

// defaultZKTimeout is the session timeout of a new ZooKeeper connection.
const defaultZKTimeout = 10 * time.Second

// prefs reads and writes what the app remembers between runs.
type prefs struct{ p fyne.Preferences }

// zkConn is a remembered ZooKeeper connection. The password of digest
// credentials is never written to the preferences file (plain JSON): a
// remembered connection that needs one is added again by the user.
type zkConn struct {
	Addr    string
	Timeout time.Duration
	User    string
	Pass    string // kept in memory only
}

func (c zkConn) String() string { return fmt.Sprintf("%s\t%s\t%s", c.Addr, c.Timeout, c.User) }

func parseZKConn(s string) (zkConn, bool) {
	f := strings.Split(s, "\t")
	if len(f) == 0 || strings.TrimSpace(f[0]) == "" {
		return zkConn{}, false
	}
	c := zkConn{Addr: f[0], Timeout: defaultZKTimeout}
	if len(f) > 1 {
		if d, err := time.ParseDuration(f[1]); err == nil && d > 0 {
			c.Timeout = d
		}
	}
	if len(f) > 2 {
		c.User = f[2]
	}
	return c, true
}

// zkConns are the remembered ZooKeeper connections, oldest first.
func (p prefs) zkConns() []zkConn {
	var out []zkConn
	for _, s := range p.p.StringList(prefZKConns) {
		if c, ok := parseZKConn(s); ok {
			out = append(out, c)
		}
	}
	return out
}

// addZKConn remembers c, replacing a connection to the same address.
func (p prefs) addZKConn(c zkConn) {
	var out []string
	for _, old := range p.zkConns() {
		if old.Addr != c.Addr {
			out = append(out, old.String())
		}
	}
	p.p.SetStringList(prefZKConns, append(out, c.String()))
}

// removeZKConn forgets the connection to addr.
func (p prefs) removeZKConn(addr string) {
	var out []string
	for _, old := range p.zkConns() {
		if old.Addr != addr {
			out = append(out, old.String())
		}
	}
	p.p.SetStringList(prefZKConns, out)
}

// files are the recently opened files, newest first.
func (p prefs) files() []string { return p.p.StringList(prefFiles) }

// addFile puts path first in the recent files.
func (p prefs) addFile(path string) {
	out := []string{path}
	for _, f := range p.files() {
		if f != path && len(out) < maxFiles {
			out = append(out, f)
		}
	}
	p.p.SetStringList(prefFiles, out)
}

// lastSeq is where the user left tenancy id of source key: a Seq, or -1 (the
// newest entry, Live).
func (p prefs) lastSeq(key, id string) int64 {
	s := p.p.String(prefPos + key + "|" + id)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

func (p prefs) setLastSeq(key, id string, seq int64) {
	p.p.SetString(prefPos+key+"|"+id, strconv.FormatInt(seq, 10))
}
