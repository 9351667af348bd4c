package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// showAddZK asks for a ZooKeeper connection: address, timeout, credentials.
func (s *sidebar) showAddZK() {
	addr := widget.NewEntry()
	addr.SetPlaceHolder("host:2181[,host:2181][/chroot]")
	timeout := widget.NewEntry()
	timeout.SetText(defaultZKTimeout.String())
	user := widget.NewEntry()
	user.SetPlaceHolder("optional")
	pass := widget.NewPasswordEntry()
	pass.SetPlaceHolder("optional, not remembered")
	items := []*widget.FormItem{
		widget.NewFormItem("Address", addr),
		widget.NewFormItem("Session timeout", timeout),
		widget.NewFormItem("Digest user", user),
		widget.NewFormItem("Password", pass),
	}
	d := dialog.NewForm("Add a ZooKeeper connection", "Connect", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		c, err := zkConnOf(addr.Text, timeout.Text, user.Text, pass.Text)
		if err != nil {
			dialog.ShowError(err, s.sh.win)
			return
		}
		s.addZK(c, true)
	}, s.sh.win)
	d.Resize(fyne.NewSize(480, 300))
	d.Show()
}

// zkConnOf checks what the dialog was given.
func zkConnOf(addr, timeout, user, pass string) (zkConn, error) {
	c := zkConn{Addr: strings.TrimSpace(addr), Timeout: defaultZKTimeout, User: strings.TrimSpace(user), Pass: pass}
	if c.Addr == "" {
		return c, errors.New("zookeeper address: empty")
	}
	if strings.ContainsAny(c.Addr, " \t") {
		return c, fmt.Errorf("zookeeper address %q: has blanks", c.Addr)
	}
	if t := strings.TrimSpace(timeout); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("session timeout %q: want a duration like 10s", t)
		}
		c.Timeout = d
	}
	if (c.User == "") != (c.Pass == "") {
		return c, errors.New("digest credentials: give both user and password, or neither")
	}
	return c, nil
}
