//go:build e2e

// The end-to-end window test: the real binary under Xvfb. It needs Xvfb,
// xdotool and ImageMagick's import (scripts/install-deps.sh installs them);
// `make test` runs it with
//
//	go test -tags e2e -run E2E -count=1 .
//
// Screenshots are kept in build/screenshots/ for a person to look at.
// ONYX_E2E_BIN names a prebuilt binary to test instead of building one.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"onyx-dashboard/ui"
)

const (
	e2eWindowTimeout = 60 * time.Second
	e2eScreenshotDir = "build/screenshots"
)

func TestE2EMainWindow(t *testing.T) {
	d := startDisplay(t)
	app, win := d.open(t)

	if got := d.xdotool(t, "getwindowname", win); got != ui.Title {
		t.Errorf("window %s is titled %q, want %q", win, got, ui.Title)
	}
	g := d.geometry(t, win)
	if g.Dx() < 400 || g.Dy() < 300 {
		t.Errorf("window %s is %dx%d, want at least 400x300", win, g.Dx(), g.Dy())
	}

	img := d.waitRendered(t, "main", g)
	t.Logf("screenshot %s: %d distinct colours in the window", filepath.Join(e2eScreenshotDir, "main.png"), distinctColours(img, g))
	// Keep main.png of the window once the demo is open, for people to look at.
	d.waitSettled(t, "main", g, image.Rect(g.Min.X+g.Dx()*3/10, g.Min.Y+40, g.Max.X, g.Max.Y), nil)

	app.stop(t)
	for _, bad := range []string{"Fyne error", "locale", "panic:", "DATA RACE"} {
		if strings.Contains(app.stderr(), bad) {
			t.Errorf("the app's stderr mentions %q:\n%s", bad, app.stderr())
		}
	}
}

// TestE2ENoDisplayIsAClearError: with no X server to open a window on, the
// app says so and exits 1, instead of a panic from deep inside GLFW.
func TestE2ENoDisplayIsAClearError(t *testing.T) {
	bin := appBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	home := t.TempDir()
	d := &display{name: ":4999"} // no Xvfb serves it
	cmd.Env = append(d.env(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("the app without a display: %v, want exit status 1; its output:\n%s", err, out)
	}
	if !strings.Contains(string(out), "cannot open a window") || strings.Contains(string(out), "panic:") {
		t.Errorf("the app without a display said:\n%s\nwant a one-line \"cannot open a window\" error and no panic", out)
	}
}

// tabShots are the tabs in the order of their Ctrl+N shortcuts, named as
// their screenshots are.
var tabShots = []string{"overview", "jobs", "allocations", "peers", "log", "replica", "diff"}

// TestE2EEveryTab opens the bundled demo at 1400x900, switches to every tab
// with its Ctrl+N shortcut and keeps a screenshot of each; then the Jobs tab
// at 1024x700.
func TestE2EEveryTab(t *testing.T) {
	d := startDisplay(t)
	app, win := d.open(t)
	g := d.resize(t, win, 1400, 900)
	// The views: right of the sidebar (which relists the live demo every
	// second) and below the menu.
	views := image.Rect(g.Min.X+g.Dx()*3/10, g.Min.Y+40, g.Max.X, g.Max.Y)
	prev := d.waitSettled(t, "overview", g, views, nil)
	first := prev
	for i, name := range tabShots {
		if i > 0 {
			d.keys(t, win, fmt.Sprintf("ctrl+%d", i+1))
			prev = d.waitSettled(t, name, g, views, prev)
			if changed(first, prev, views) == 0 {
				t.Errorf("tab %s looks like the overview", name)
			}
		}
		t.Logf("screenshot %s: %d distinct colours", filepath.Join(e2eScreenshotDir, name+".png"), distinctColours(prev, g))
	}

	d.keys(t, win, "ctrl+2")
	g = d.resize(t, win, 1024, 700)
	img := d.waitSettled(t, "jobs-1024x700", g, image.Rect(g.Min.X+g.Dx()*3/10, g.Min.Y+40, g.Max.X, g.Max.Y), nil)
	t.Logf("screenshot jobs-1024x700: %d distinct colours", distinctColours(img, g))

	app.stop(t)
	for _, bad := range []string{"Fyne error", "panic:", "DATA RACE"} {
		if strings.Contains(app.stderr(), bad) {
			t.Errorf("the app's stderr mentions %q:\n%s", bad, app.stderr())
		}
	}
}

// resize sets the window's size and waits, at most 10 s, until X reports it
// (a window just mapped may still resize itself, so it asks again).
func (d *display) resize(t *testing.T, win string, w, h int) image.Rectangle {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		d.xdotool(t, "windowsize", "--sync", win, strconv.Itoa(w), strconv.Itoa(h))
		time.Sleep(300 * time.Millisecond)
		g := d.geometry(t, win)
		if g.Dx() == w && g.Dy() == h {
			return g
		}
		if time.Now().After(deadline) {
			t.Fatalf("window %s stays %dx%d, want %dx%d", win, g.Dx(), g.Dy(), w, h)
		}
	}
}

// waitSettled takes screenshot NAME until the window rendered content and
// the views area is the same in three screenshots in a row (loading and
// switching are over); when notLike is given, the views must also differ
// from it (the tab switched). It waits at most 20 s.
func (d *display) waitSettled(t *testing.T, name string, win, views image.Rectangle, notLike image.Image) image.Image {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last image.Image
	same := 0 // screenshots in a row equal to last
	for {
		img := d.screenshot(t, name)
		n := distinctColours(img, win)
		ok := n >= minColours && (notLike == nil || changed(notLike, img, views) > 0)
		if ok && last != nil && changed(last, img, views) == 0 {
			if same++; same == 2 {
				return img
			}
		} else {
			same = 0
		}
		if time.Now().After(deadline) {
			t.Fatalf("screenshot %s: not settled within 20 s (%d distinct colours, want at least %d; changed from the previous tab: %v)",
				name, n, minColours, notLike == nil || changed(notLike, img, views) > 0)
		}
		if ok {
			last = img
		} else {
			last = nil
		}
		time.Sleep(400 * time.Millisecond)
	}
}

// changed counts the pixels of r that differ between a and b.
func changed(a, b image.Image, r image.Rectangle) int {
	r = r.Intersect(a.Bounds()).Intersect(b.Bounds())
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}

// display is an Xvfb server on a display number it chose itself.
type display struct {
	name string // ":N"
	cmd  *exec.Cmd
}

// startDisplay starts Xvfb with a 1400x900 screen; the test's cleanup stops it.
func startDisplay(t *testing.T) *display {
	t.Helper()
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found (run scripts/install-deps.sh): %v", tool, err)
		}
	}
	// -displayfd has Xvfb pick a free display and write its number to a pipe.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatalf("pipe for Xvfb: %v", err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1400x900x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	var xerr bytes.Buffer
	cmd.Stderr = &xerr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	number := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		r.Close()
		number <- strings.TrimSpace(line)
	}()
	select {
	case n := <-number:
		if _, err := strconv.Atoi(n); err != nil {
			t.Fatalf("Xvfb did not report a display number (got %q): %s", n, xerr.String())
		}
		t.Logf("Xvfb on :%s", n)
		d := &display{name: ":" + n, cmd: cmd}
		d.waitReady(t)
		return d
	case <-time.After(30 * time.Second):
		t.Fatalf("Xvfb did not start within 30s: %s", xerr.String())
		return nil
	}
}

// waitReady waits, at most 15 s, until a client can query the display: Xvfb
// reports its number once it listens, a moment before it may serve.
func (d *display) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, err := d.tool("xdotool", "getdisplaygeometry")
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("display %s does not answer within 15 s: %v", d.name, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// env is the environment for programs on this display: LANG=C and no other
// locale settings, so the app must start cleanly under the plainest locale.
func (d *display) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "DISPLAY", k == "LANG", k == "LANGUAGE", strings.HasPrefix(k, "LC_"), k == "WAYLAND_DISPLAY":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "DISPLAY="+d.name, "LANG=C", "LIBGL_ALWAYS_SOFTWARE=1")
}

// xdotool runs xdotool on the display and returns its trimmed output.
func (d *display) xdotool(t *testing.T, args ...string) string {
	t.Helper()
	out, err := d.tool("xdotool", args...)
	if err != nil {
		t.Fatalf("xdotool %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// tool runs a command on the display with a 20 s limit.
func (d *display) tool(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = d.env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// geometry is the window's rectangle on the screen.
func (d *display) geometry(t *testing.T, win string) image.Rectangle {
	t.Helper()
	vals := map[string]int{}
	for _, line := range strings.Split(d.xdotool(t, "getwindowgeometry", "--shell", win), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if n, err := strconv.Atoi(v); ok && err == nil {
			vals[k] = n
		}
	}
	return image.Rect(vals["X"], vals["Y"], vals["X"]+vals["WIDTH"], vals["Y"]+vals["HEIGHT"])
}

// screenshot saves the whole screen as build/screenshots/NAME.png and
// returns it decoded.
func (d *display) screenshot(t *testing.T, name string) image.Image {
	t.Helper()
	if err := os.MkdirAll(e2eScreenshotDir, 0o755); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(e2eScreenshotDir, name+".png")
	if _, err := d.tool("import", "-window", "root", path); err != nil {
		t.Fatalf("screenshot %s: import: %v", name, err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: decode %s: %v", name, path, err)
	}
	return img
}

// minColours is how many distinct colours a rendered window has at least: a
// blank or single-colour surface has one or two, text alone brings dozens of
// anti-aliasing shades.
const minColours = 16

// waitRendered takes screenshot NAME until the window's area within it shows
// rendered content, for at most 20 s (the first frame may lag the window).
func (d *display) waitRendered(t *testing.T, name string, win image.Rectangle) image.Image {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		img := d.screenshot(t, name)
		n := distinctColours(img, win)
		if n >= minColours {
			return img
		}
		if time.Now().After(deadline) {
			t.Fatalf("screenshot %s: the window area %v has %d distinct colours, want at least %d (blank surface?)", name, win, n, minColours)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// distinctColours counts the colours in the part of img inside r.
func distinctColours(img image.Image, r image.Rectangle) int {
	r = r.Intersect(img.Bounds())
	seen := map[[4]uint32]bool{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			seen[[4]uint32{cr, cg, cb, ca}] = true
		}
	}
	return len(seen)
}

// appProcess is the app running on a display.
type appProcess struct {
	d    *display
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
}

// launch starts the binary on the display with args (the app's flags); the
// test's cleanup stops it.
func (d *display) launch(t *testing.T, args ...string) *appProcess {
	t.Helper()
	bin := appBinary(t)
	a := &appProcess{d: d, out: &syncBuffer{}, done: make(chan struct{})}
	a.cmd = exec.Command(bin, args...)
	// A home of its own: the app starts with no remembered connections,
	// files or positions, whatever the user's preferences hold.
	home := t.TempDir()
	a.cmd.Env = append(d.env(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
	a.cmd.Stdout = a.out
	a.cmd.Stderr = a.out
	if err := a.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		_ = a.cmd.Wait()
		close(a.done)
	}()
	t.Cleanup(func() { a.stop(t) })
	return a
}

// stop ends the app: SIGTERM, then SIGKILL after 5 s.
func (a *appProcess) stop(t *testing.T) {
	select {
	case <-a.done:
		return
	default:
	}
	_ = a.cmd.Process.Signal(os.Interrupt)
	select {
	case <-a.done:
	case <-time.After(5 * time.Second):
		_ = a.cmd.Process.Kill()
		<-a.done
	}
}

func (a *appProcess) stderr() string { return a.out.String() }

// open launches the app and waits for its main window. A launch that dies
// because the X server refused it (GLFW could not open the display or make
// a GL context: the environment, not the app) is logged and tried once more;
// any other early exit fails the test.
func (d *display) open(t *testing.T, args ...string) (*appProcess, string) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		app := d.launch(t, args...)
		win, err := app.waitWindow(ui.Title)
		if err == nil {
			return app, win
		}
		out := app.stderr()
		if attempt == 1 && displayRefused(out) {
			t.Logf("first launch: %v; the X server refused it, launching once more. Its output:\n%s", err, out)
			app.stop(t)
			d.waitReady(t)
			continue
		}
		// The output first, and the reason last: CI keeps the tail.
		t.Fatalf("the app's output:\n%s\n%v (first lines: %s)", out, err, firstLines(out, 3))
	}
}

// displayRefused tells whether the app's output shows GLFW failing to use
// the display, as opposed to the app failing on its own.
func displayRefused(out string) bool {
	// go-gl's Init lets some of GLFW's errors pass, so a refused start can
	// also surface as the first window's failure, which main reports as
	// "cannot open a window" (seen about once in six launches on a display
	// started right after another was killed).
	return strings.Contains(out, "failed to initialise GLFW") || strings.Contains(out, "window creation error") ||
		strings.Contains(out, "cannot open a window")
}

// firstLines is the first n non-empty lines of s, joined by " | ".
func firstLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
			if len(lines) == n {
				break
			}
		}
	}
	return strings.Join(lines, " | ")
}

// waitWindow waits for a visible window with exactly this title and returns
// its id; it fails if the app exits first or after e2eWindowTimeout.
func (a *appProcess) waitWindow(title string) (string, error) {
	deadline := time.Now().Add(e2eWindowTimeout)
	for {
		select {
		case <-a.done:
			return "", fmt.Errorf("the app exited before showing a window titled %q", title)
		default:
		}
		out, err := a.d.tool("xdotool", "search", "--onlyvisible", "--name", "^"+title+"$")
		if err == nil && out != "" {
			return strings.Fields(out)[0], nil
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("no window titled %q within %v", title, e2eWindowTimeout)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// appBinary is $ONYX_E2E_BIN, or build/onyx-dashboard freshly built.
func appBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("ONYX_E2E_BIN"); bin != "" {
		return bin
	}
	buildOnce.Do(func() {
		builtBin, buildErr = filepath.Abs("build/onyx-dashboard")
		if buildErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build the app: %v", buildErr)
	}
	return builtBin
}

// syncBuffer is a bytes.Buffer safe for a process writing while a test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// keys focuses window win and types xdotool key names ("ctrl+o", "Right",
// "End") into it, for tests that drive the app by keyboard.
func (d *display) keys(t *testing.T, win string, keys ...string) {
	t.Helper()
	d.xdotool(t, "windowfocus", "--sync", win)
	d.xdotool(t, append([]string{"key", "--clearmodifiers", "--delay", "50"}, keys...)...)
}
