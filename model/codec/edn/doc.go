// Package edn reads EDN text into the value model (model/value) and is the
// reference for what Clojure 1.11's pr-str prints: nil, booleans, longs, N big
// integers, doubles with ##Inf ##-Inf ##NaN, M decimals, ratios, strings,
// characters, keywords, symbols, lists, vectors, maps, sets, #:ns{} maps,
// #uuid, #inst, and any other tag as value.Tagged. Comments, commas, #_
// discards and ^metadata (dropped) are accepted. Printing lives in
// model/value (value.PrStr, value.Pretty); docs/edn.md says what is read,
// what is not, and why olympos.io/encoding/edn is not used.
//
// Reading never panics, nests at most MaxDepth deep, and reports bad input as
// a *SyntaxError with line, column and byte offset. The package does no I/O
// beyond the io.Reader a Decoder is given, and imports no Fyne.
package edn
