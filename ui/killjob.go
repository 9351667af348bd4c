package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog/admin"
	"onyx-dashboard/zklog/archive"
)

// Killing a job is the app's only write to ZooKeeper, and it exists only
// when the app was started with --allow-writes: without it the tabs make no
// "Kill job…" button and showKillJob does nothing. The write itself is
// zklog/admin's (the entry Onyx's client writes for the version).

// showKillJob asks which live job of p to kill, with a typed confirmation,
// and kills it through zklog/admin off the UI goroutine (inspectHost).
func (s *shell) showKillJob(p Position, job value.Value) {
	if !s.opts.AllowWrites {
		return
	}
	addr, ok := strings.CutPrefix(s.srcKey, "zk:")
	if !ok || p.Reader == nil || p.Tenancy == "" {
		dialog.ShowInformation("Kill job", "Jobs can be killed only in a deployment opened from ZooKeeper.", s.win)
		return
	}
	jobs := liveJobs(p.Replica)
	if len(jobs) == 0 {
		dialog.ShowInformation("Kill job", "No job is running at this position.", s.win)
		return
	}
	v := p.Version()
	d, _ := killJobDialog(s.win, p.Tenancy, jobs, job, func(j value.Value, auth []string) {
		s.runTask("Killing job "+archive.IDString(j), func(ctx context.Context, _ func(int, int)) error {
			_, err := admin.KillJob(ctx, admin.Options{Addr: addr, Auth: auth}, p.Tenancy, j, v)
			return err
		}, func(err error) {
			switch {
			case err == nil:
				dialog.ShowInformation("Kill job", "The kill-job entry for "+archive.IDString(j)+
					" is in the log; the timeline shows it when it arrives.", s.win)
			case !errors.Is(err, context.Canceled):
				dialog.ShowError(err, s.win)
			}
		})
	})
	d.Show()
}

// killJobDialog asks which of jobs to kill in tenancy (pick first, when it
// is one of them) and for the job id typed out in full; kill runs only when
// the typed id is the chosen job's. auth are optional digest credentials.
// It returns the dialog and its confirmation entry.
func killJobDialog(w fyne.Window, tenancy string, jobs []value.Value, pick value.Value,
	kill func(job value.Value, auth []string)) (*dialog.FormDialog, *widget.Entry) {
	names := make([]string, len(jobs))
	byName := map[string]value.Value{}
	for i, j := range jobs {
		names[i] = archive.IDString(j)
		byName[names[i]] = j
	}
	choice := widget.NewSelect(names, nil)
	if pick != nil && byName[archive.IDString(pick)] != nil {
		choice.SetSelected(archive.IDString(pick))
	} else {
		choice.SetSelectedIndex(0)
	}
	confirm := widget.NewEntry()
	confirm.SetPlaceHolder("type the job id to confirm")
	confirm.Validator = func(s string) error { return confirmKill(choice.Selected, s) }
	choice.OnChanged = func(string) { confirm.Validate() }
	cred := widget.NewPasswordEntry()
	cred.SetPlaceHolder("user:password, if the ensemble needs it")
	items := []*widget.FormItem{
		widget.NewFormItem("Job", choice),
		widget.NewFormItem("Confirm", confirm),
		widget.NewFormItem("Credentials", cred),
	}
	items[1].HintText = "Onyx stops the job's peers; this cannot be undone."
	d := dialog.NewForm("Kill a job of "+tenancy, "Kill job", "Cancel", items, func(ok bool) {
		if !ok || confirmKill(choice.Selected, confirm.Text) != nil {
			return
		}
		var auth []string
		if c := strings.TrimSpace(cred.Text); c != "" {
			auth = []string{c}
		}
		kill(byName[choice.Selected], auth)
	}, w)
	d.Resize(fyne.NewSize(560, 280))
	return d, confirm
}

// confirmKill accepts typed only when it is the job id want, in full.
func confirmKill(want, typed string) error {
	if want == "" || strings.TrimSpace(typed) != want {
		return fmt.Errorf("type %q to confirm", want)
	}
	return nil
}

// liveJobs are the jobs of r that can be killed: neither killed nor
// completed (era A keeps both in :jobs until GC; a job is complete there
// when every task is in :completions).
func liveJobs(r replay.Replica) []value.Value {
	killed := value.NewSet(r.KilledJobs()...)
	completed := value.NewSet(r.CompletedJobs()...)
	var out []value.Value
	for _, j := range r.Jobs() {
		c := len(r.Completions(j))
		if killed.Has(j) || completed.Has(j) || (c > 0 && c >= len(r.Tasks(j))) {
			continue
		}
		out = append(out, j)
	}
	return out
}
