package replay

import (
	"sync/atomic"

	"onyx-dashboard/model/value"
)

// :peers of eras C and D changes by one vpeer a time: add-virtual-peer
// appends one, leave-cluster removes one. Copying the hundred-odd entries
// for every join made a tenth of the bytes a busy log allocates. A vector
// this file makes has room after it in its backing array; a join onto the
// newest such vector, at its full length, writes into that room instead of
// copying. Each index of a backing array is written once, by the one caller
// that claimed it (CompareAndSwap on peersTailCD), before any vector
// reaching it exists; the vectors handed out have cap == len, so code
// elsewhere that appends to them copies.

// cdPeersTail is the backing array the last join or leave made (full to its
// capacity) and how many of its entries are in use.
type cdPeersTail struct {
	full value.Vector
	n    int
}

// cdPeersRoom is how many joins a new backing array has room for.
const cdPeersRoom = 8

var peersTailCD atomic.Pointer[cdPeersTail]

// conjPeersCD is conjVec(xs, p) for :peers.
func conjPeersCD(xs []value.Value, p value.Value) value.Vector {
	n := len(xs)
	if t := peersTailCD.Load(); t != nil && n > 0 && t.n == n && n < len(t.full) && &t.full[0] == &xs[0] {
		if peersTailCD.CompareAndSwap(t, &cdPeersTail{full: t.full, n: n + 1}) {
			t.full[n] = p // index n is this caller's: no vector reaches it yet
			return t.full[: n+1 : n+1]
		}
	}
	full := make(value.Vector, n+1+cdPeersRoom)
	copy(full, xs)
	full[n] = p
	peersTailCD.Store(&cdPeersTail{full: full, n: n + 1})
	return full[: n+1 : n+1]
}

// removePeersCD is removeValue(xs, p) for :peers.
func removePeersCD(xs []value.Value, p value.Value) value.Vector {
	n := len(xs)
	i := 0
	for i < n && !value.Equal(xs[i], p) {
		i++
	}
	if i == n-1 { // the last one, once: the prefix is the vector
		return value.Vector(xs[: n-1 : n-1])
	}
	full := make(value.Vector, 0, n+cdPeersRoom)
	full = append(full, xs[:i]...)
	for _, y := range xs[min(i, n):] {
		if !value.Equal(y, p) {
			full = append(full, y)
		}
	}
	m := len(full)
	if m == 0 {
		return full
	}
	peersTailCD.Store(&cdPeersTail{full: full[:cap(full)], n: m})
	return full[:m:m]
}
