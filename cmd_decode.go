package main

import (
	"fmt"
	"io"
	"os"

	"onyx-dashboard/model/codec"
	"onyx-dashboard/model/value"
)

func init() {
	register(command{
		name:     "decode",
		summary:  plannedSummary("decode"),
		synopsis: "[--pretty] [--width N] [FILE|-]",
		run:      runDecode,
	})
}

// stdin is what "decode -" (or no FILE) reads; tests replace it.
var stdin io.Reader = os.Stdin

// runDecode reads one znode payload, detects its format (Nippy, Nippy+LZ4,
// Fressian, EDN) and prints the value as EDN. Bad input exits 1 with the
// codec's message, which names the format, the byte offset and what was
// expected there.
func runDecode(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("decode", "[--pretty] [--width N] [FILE|-]")
	pretty := fs.Bool("pretty", false, "print indented EDN instead of one line")
	width := fs.Int("width", 80, "line `WIDTH` of --pretty")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(stderr, "%s decode: unexpected argument %q\n", progName, fs.Arg(1))
		fs.Usage()
		return exitUsage
	}
	name := fs.Arg(0)
	var b []byte
	var err error
	if name == "" || name == "-" {
		name = "stdin"
		b, err = io.ReadAll(stdin)
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s decode: %v\n", progName, err)
		return exitFailure
	}
	v, _, err := codec.Decode(b)
	if err != nil {
		fmt.Fprintf(stderr, "%s decode: %s: %v\n", progName, name, err)
		return exitFailure
	}
	out := value.PrStr(v)
	if *pretty {
		out = value.Pretty(v, *width)
	}
	if _, err := fmt.Fprintln(stdout, out); err != nil {
		fmt.Fprintf(stderr, "%s decode: %v\n", progName, err)
		return exitFailure
	}
	return exitOK
}
