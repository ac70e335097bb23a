// Package xmile reads XMILE 1.0 models (.xmile, .stmx) — the OASIS
// standard written by Stella, Simlin, Insight Maker and Vensim's exporter —
// into the declaration that every stockflow reader produces (decl.Model).
//
// Parse takes the file's bytes and returns the declaration: simulation
// settings, stocks, flows, auxiliaries (those that are plain numbers become
// params), graphical functions (lookups), non-negative stocks and flows,
// documentation and units, with modules flattened into prefixed names.
// Equations are translated from XMILE's dialect to stockflow's and parsed;
// every equation keeps a map to the file's lines and columns, so that
// errors found later by the compiler point into the XMILE file.
//
// Names are read as XMILE defines them: without regard to case, with
// spaces and underscores alike. Each declared name is written in stockflow
// with its case kept and every run of spaces and punctuation turned into
// one underscore ("Characteristic Time" becomes Characteristic_Time), and
// every reference is rewritten to that spelling. docs/xmile.md has the
// details and the semantic decisions (INT and MOD per vendor, malformed
// files).
package xmile
