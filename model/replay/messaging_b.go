package replay

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"sync"

	"onyx-dashboard/model/value"
)

// Era B messaging: the resources a peer site gets when its peer joins
// (assign-site-resources in 0.6.0–0.7.x, assign-acker-resources in 0.8.x) or
// is placed on a task (assign-task-resources, 0.8.x), and get-peer-site, per
// :onyx.messaging/impl, as src/onyx/messaging/*.clj of those releases do.

var (
	kwBNetty          = value.Kw("netty")
	kwBAeron          = value.Kw("aeron")
	kwBCoreAsync      = value.Kw("core.async")
	kwBDummyMessenger = value.Kw("dummy-messenger")

	kwBNettyPorts    = value.Kw("netty/ports")
	kwBNettyPort     = value.Kw("netty/port")
	kwBNettyAddr     = value.Kw("netty/external-addr")
	kwBAeronAddr     = value.Kw("aeron/external-addr")
	kwBAeronID       = value.Kw("aeron/id")
	kwBAeronAckerID  = value.Kw("aeron/acker-id")
	kwBAeronPeerID   = value.Kw("aeron/peer-id")
	kwBAeronPeerTask = value.Kw("aeron/peer-task-id")
	kwBPort          = value.Kw("port")
	bDummyResources  = value.NewMap(kwBPort, int64(1))
	bEmptyResources  = value.NewMap()
)

func bImpl(r *value.Map) value.Value { return mapOf(r.Val(kwMessaging)).Val(kwBMessagingImpl) }

// bSiteWithResources is (merge site (assign-…-resources …)) for a joining peer.
func bSiteWithResources(r *value.Map, f bflags, peer, site value.Value) (value.Value, error) {
	sm, _ := site.(*value.Map)
	sites := mapOf(r.Val(kwPeerSites))
	switch bImpl(r) {
	case kwBNetty:
		used := bUsed(sites, kwBNettyAddr, sm.Val(kwBNettyAddr), kwBNettyPort)
		for _, p := range items(sm.Val(kwBNettyPorts)) {
			if !used.Has(p) {
				return bMerge(site, value.NewMap(kwBNettyPort, p)), nil
			}
		}
		return nil, crash("netty: couldn't assign port - ran out of available ports")
	case kwBCoreAsync:
		return site, nil
	case kwBDummyMessenger:
		return bMerge(site, bDummyResources), nil
	case kwBAeron:
		addr := sm.Val(kwBAeronAddr)
		if f.v08 {
			used := bUsed(sites, kwBAeronAddr, addr, kwBAeronAckerID, kwBAeronPeerID)
			id, ok := bChooseAeronID(value.Hash(peer), used)
			if !ok {
				return nil, crash("aeron: ran out of ids")
			}
			return bMerge(site, value.NewMap(kwBAeronAckerID, id)), nil
		}
		if !f.v07 {
			return nil, crash("aeron is not a messaging implementation of onyx 0.6.0")
		}
		used := bUsed(sites, kwBAeronAddr, addr, kwBAeronID)
		id, ok := bChooseAeronID(value.Hash(peer), used)
		if !ok {
			return nil, crash("aeron: ran out of ids")
		}
		return bMerge(site, value.NewMap(kwBAeronID, id)), nil
	}
	return nil, crash("no assign-site-resources method for messaging %s", value.PrStr(bImpl(r)))
}

// bTaskResources is assign-task-resources (0.8.x) for peer placed on task.
func bTaskResources(r *value.Map, peer, task, site value.Value, sites *value.Map) (*value.Map, error) {
	switch bImpl(r) {
	case kwBAeron:
		sm, _ := site.(*value.Map)
		used := bUsed(sites, kwBAeronAddr, sm.Val(kwBAeronAddr), kwBAeronAckerID, kwBAeronPeerID)
		id, ok := bChooseAeronID(value.Hash(value.Vector{peer, task}), used)
		if !ok {
			return nil, crash("aeron: ran out of ids")
		}
		return value.NewMap(kwBAeronPeerTask, id), nil
	case kwBDummyMessenger:
		return bDummyResources, nil
	case kwBNetty, kwBCoreAsync:
		return bEmptyResources, nil
	}
	return nil, crash("no assign-task-resources method for messaging %s", value.PrStr(bImpl(r)))
}

// bUsed is the set of the id keys of every site whose addrKey equals addr.
func bUsed(sites *value.Map, addrKey value.Keyword, addr value.Value, idKeys ...value.Keyword) *value.Set {
	var ids []value.Value
	sites.Range(func(_, s value.Value) bool {
		sm := mapOf(s)
		if value.Equal(sm.Val(addrKey), addr) {
			for _, k := range idKeys {
				ids = append(ids, sm.Val(k))
			}
		}
		return true
	})
	return value.NewSet(ids...)
}

var (
	aeronIDsOnce sync.Once
	aeronIDs     []int64 // every short in Clojure hash-set order
)

// bChooseAeronID is choose-id: the (hash mod n)-th short not in used, in the
// iteration order of (set (map short (range -32768 32768))).
func bChooseAeronID(hsh int32, used *value.Set) (int64, bool) {
	aeronIDsOnce.Do(func() {
		type e struct {
			v  int64
			ck uint64
		}
		es := make([]e, 0, 65536)
		for v := int64(-32768); v < 32768; v++ {
			es = append(es, e{v, value.HashOrderKey(v)})
		}
		slices.SortStableFunc(es, func(a, b e) int {
			switch {
			case a.ck < b.ck:
				return -1
			case a.ck > b.ck:
				return 1
			}
			return 0
		})
		aeronIDs = make([]int64, len(es))
		for i, x := range es {
			aeronIDs[i] = x.v
		}
	})
	var usedShorts []int64
	used.Range(func(v value.Value) bool {
		if i, ok := v.(int64); ok && i >= -32768 && i < 32768 {
			usedShorts = append(usedShorts, i)
		}
		return true
	})
	n := int64(len(aeronIDs) - len(usedShorts))
	if n <= 0 {
		return 0, false
	}
	k := int64(hsh) % n
	if k < 0 {
		k += n
	}
	// The used shorts as a bitset: a scan of them per candidate made this
	// 82 % of simulating a 0.8 aeron log.
	var usedBits [65536 / 64]uint64
	for _, u := range usedShorts {
		usedBits[(u+32768)/64] |= 1 << ((u + 32768) % 64)
	}
	for _, id := range aeronIDs {
		if usedBits[(id+32768)/64]&(1<<((id+32768)%64)) != 0 {
			continue
		}
		if k == 0 {
			return id, true
		}
		k--
	}
	return 0, false
}

// bRatioDouble is clojure.lang.Ratio.doubleValue: the quotient rounded to 16
// significant digits (MathContext.DECIMAL64, half even), then to a double.
func bRatioDouble(num, den int64) float64 {
	q := new(big.Rat).SetFrac64(num, den)
	neg := q.Sign() < 0
	q.Abs(q)
	if q.Sign() == 0 {
		return 0
	}
	// scale q by 10^k so that 10^15 <= q·10^k < 10^16
	k := 0
	lo := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(15), nil))
	hi := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(16), nil))
	ten := big.NewRat(10, 1)
	tenth := big.NewRat(1, 10)
	s := new(big.Rat).Set(q)
	for s.Cmp(lo) < 0 {
		s.Mul(s, ten)
		k++
	}
	for s.Cmp(hi) >= 0 {
		s.Mul(s, tenth)
		k--
	}
	ip := new(big.Int).Quo(s.Num(), s.Denom())
	rem := new(big.Rat).Sub(s, new(big.Rat).SetInt(ip))
	switch rem.Cmp(big.NewRat(1, 2)) {
	case 1:
		ip.Add(ip, big.NewInt(1))
	case 0:
		if ip.Bit(0) == 1 {
			ip.Add(ip, big.NewInt(1))
		}
	}
	f, err := strconv.ParseFloat(fmt.Sprintf("%se%d", ip.String(), -k), 64)
	if err != nil {
		f, _ = q.Float64()
	}
	if neg {
		return -f
	}
	return f
}
