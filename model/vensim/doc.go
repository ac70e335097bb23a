// Package vensim reads the equations part of a Vensim .mdl model file
// into the declaration (decl.Model) that package model compiles.
//
// In goes the file's text; out comes a *decl.Model whose variables carry
// stockflow equation text (with a map from each byte back to the .mdl
// file), its dimensions and per-element equations for subscripted
// variables, and the simulation settings from INITIAL TIME, FINAL TIME,
// TIME STEP and SAVEPER. Of the sketch only the variables' places are
// read (decl.Var.At, for stockflow diagram --layout file). Vensim's builtins are
// translated to stockflow's with Vensim's meaning (see docs/vensim.md).
//
// Names are canonicalised to letters, digits and _ (see CanonicalName):
// spaces become _, other characters _, and a leading digit gets a _
// prefix; references match without regard to case, spaces or _.
package vensim
