// Package value is Clojure data in Go: the one model every codec decodes into and
// every replay step computes with.
//
// A Value is one of: nil, bool, int64, *big.Int, float64, string, Char, Keyword,
// Symbol, UUID, Inst, Vector, List, *Map, *Set, Bytes, *big.Rat, BigDec, Tagged,
// Opaque. Collections are immutable: operations return new values and never change
// one another goroutine may hold.
//
// Equality and hashing follow Clojure's = and hasheq (1.6+), and *Map and *Set
// iterate in the order Clojure would: maps of at most eight entries built by assoc
// keep insertion order (PersistentArrayMap), larger maps and every set iterate in
// PersistentHashMap order. Onyx's schedulers walk maps and sets, so a faithful
// replay depends on that order (onyx-log-format.md §4.9).
//
// A long run of changes to one map or set (a replay step moving many peers)
// goes through a transient: m.AsTransient() gives a TransientMap whose Assoc
// and Dissoc change in place the trie nodes it has already copied, instead of
// copying the path to the key on every call, and whose Persistent gives the
// map those calls made one by one would give, order and kind included (the
// very same *Map when nothing changed, as Assoc of the value already there
// gives the map itself). Nodes carry the edit number of the transient that
// may change them, so no map another goroutine or checkpoint holds is ever
// changed.
//
// Replicas are rebuilt by millions of such changes, so a change allocates
// little: a persistent assoc or dissoc copies each trie level on the path in
// one allocation (the node and the slice it changes, see nodealloc.go) and
// puts the new Map or Set header in the block of the root's copy.
//
// This package imports neither Fyne nor anything that does I/O.
package value
