package zk

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestSourceCallsNoWritingMethod checks statically that the package's own
// code (not its tests) calls none of the client's writing methods.
func TestSourceCallsNoWritingMethod(t *testing.T) {
	writing := map[string]bool{
		"Create": true, "CreateContainer": true, "CreateTTL": true, "CreateProtectedEphemeralSequential": true,
		"Set": true, "SetACL": true, "Delete": true, "Multi": true, "Reconfig": true, "IncrementalReconfig": true,
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && writing[sel.Sel.Name] {
					t.Errorf("%s: calls %s", fset.Position(call.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
	if checked < 4 {
		t.Errorf("checked %d files, want the package's sources", checked)
	}
}
