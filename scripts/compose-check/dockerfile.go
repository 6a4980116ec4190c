// The Dockerfile as a plan the rehearsal can run without an engine: the build stage's context
// copy and RUN commands, then the runtime stage's COPY --from lines and CMD. It is read with
// BuildKit's own parser (continuation lines joined as `docker build` joins them). Instructions
// the rehearsal does not model (ENV, ARG, USER, ENTRYPOINT, RUN --mount, exec-form RUN, …) are
// refused by name rather than skipped, so a Dockerfile change cannot pass unrehearsed.
package main

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

type stage struct {
	name    string
	image   string
	workdir string
	// In order: "copy-context" (COPY . . into the workdir) and "run" steps.
	steps   []step
	copies  []copyFrom
	cmd     []string
	volumes []string
	expose  []string
}

type step struct {
	kind string // "copy-context" or "run"
	run  string // the shell-form command, for "run"
}

// copyFrom is `COPY --from=<stage> src… dest`, with the paths made relative: the sources to the
// source stage's workdir, the destination to this stage's workdir.
type copyFrom struct {
	from    string
	sources []string
	dest    string
	destDir bool // several sources or a trailing slash: each source lands inside dest
	line    int
}

type plan struct {
	build   *stage
	runtime *stage
}

func readPlan(repo string) (*plan, error) {
	file := filepath.Join(repo, "Dockerfile")
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	var stages []*stage
	for _, n := range res.AST.Children {
		if err := addInstruction(&stages, n); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, n.StartLine, err)
		}
	}
	if len(stages) < 2 {
		return nil, fmt.Errorf("%s: expected a build stage and a runtime stage, found %d stage(s)", file, len(stages))
	}
	p := &plan{runtime: stages[len(stages)-1]}
	for _, c := range p.runtime.copies {
		for _, s := range stages {
			if s.name != c.from {
				continue
			}
			if p.build != nil && p.build != s {
				return nil, fmt.Errorf("%s:%d: the runtime stage copies from two stages; the rehearsal models one", file, c.line)
			}
			p.build = s
		}
	}
	if p.build == nil {
		return nil, fmt.Errorf("%s: the runtime stage copies nothing from a build stage", file)
	}
	if len(p.build.steps) == 0 || p.build.steps[0].kind != "copy-context" ||
		slices.ContainsFunc(p.build.steps[1:], func(s step) bool { return s.kind != "run" }) {
		return nil, fmt.Errorf("%s: the build stage must start with `COPY . .` and then only RUN; the rehearsal models no other order", file)
	}
	if len(p.runtime.steps) > 0 {
		return nil, fmt.Errorf("%s: the runtime stage has RUN or COPY-from-context steps; the rehearsal does not model them", file)
	}
	if len(p.runtime.cmd) == 0 {
		return nil, fmt.Errorf("%s: the runtime stage has no CMD", file)
	}
	return p, nil
}

func addInstruction(stages *[]*stage, n *parser.Node) error {
	cmd := strings.ToLower(n.Value)
	args := nodeArgs(n)
	if cmd == "from" {
		s := &stage{image: args[0], workdir: "/"}
		if len(args) == 3 && strings.EqualFold(args[1], "as") {
			s.name = args[2]
		}
		*stages = append(*stages, s)
		return nil
	}
	if len(*stages) == 0 {
		return fmt.Errorf("%s before FROM", strings.ToUpper(cmd))
	}
	s := (*stages)[len(*stages)-1]
	switch cmd {
	case "workdir":
		s.workdir = resolve(s.workdir, args[0])
	case "run":
		if n.Attributes["json"] || len(n.Flags) > 0 || len(n.Heredocs) > 0 {
			return fmt.Errorf("only shell-form RUN without flags or heredocs is modelled: %s", n.Original)
		}
		s.steps = append(s.steps, step{kind: "run", run: args[0]})
	case "copy":
		return addCopy(*stages, s, n, args)
	case "cmd":
		if !n.Attributes["json"] {
			return fmt.Errorf("CMD must be in JSON (exec) form: %s", n.Original)
		}
		s.cmd = args
	case "volume":
		s.volumes = append(s.volumes, args...)
	case "expose":
		s.expose = append(s.expose, args...)
	default:
		return fmt.Errorf("the rehearsal does not model %s; extend scripts/compose-check/dockerfile.go", strings.ToUpper(cmd))
	}
	return nil
}

func addCopy(stages []*stage, s *stage, n *parser.Node, args []string) error {
	from := ""
	for _, flag := range n.Flags {
		if v, ok := strings.CutPrefix(flag, "--from="); ok {
			from = v
		} else {
			return fmt.Errorf("COPY flag %s is not modelled", flag)
		}
	}
	if len(args) < 2 {
		return fmt.Errorf("COPY needs a source and a destination: %s", n.Original)
	}
	sources, dest := args[:len(args)-1], args[len(args)-1]
	if from == "" {
		if len(sources) != 1 || sources[0] != "." || resolve(s.workdir, dest) != s.workdir {
			return fmt.Errorf("only `COPY . .` from the context is modelled: %s", n.Original)
		}
		s.steps = append(s.steps, step{kind: "copy-context"})
		return nil
	}
	var src *stage
	for _, st := range stages {
		if st.name == from {
			src = st
		}
	}
	if src == nil {
		return fmt.Errorf("COPY --from=%s names no earlier stage", from)
	}
	c := copyFrom{from: from, destDir: len(sources) > 1 || strings.HasSuffix(dest, "/"), line: n.StartLine}
	for _, p := range sources {
		if strings.ContainsAny(p, "*?[") {
			return fmt.Errorf("COPY with a wildcard is not modelled: %s", p)
		}
		rel, err := under(src.workdir, resolve(src.workdir, p))
		if err != nil {
			return fmt.Errorf("COPY --from=%s %s: %v", from, p, err)
		}
		c.sources = append(c.sources, rel)
	}
	rel, err := under(s.workdir, resolve(s.workdir, dest))
	if err != nil {
		return fmt.Errorf("COPY destination %s: %v", dest, err)
	}
	c.dest = rel
	s.copies = append(s.copies, c)
	return nil
}

func nodeArgs(n *parser.Node) []string {
	var args []string
	for a := n.Next; a != nil; a = a.Next {
		args = append(args, a.Value)
	}
	if len(args) == 0 {
		args = []string{""}
	}
	return args
}

func resolve(workdir, p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	return path.Join(workdir, p)
}

// under gives p relative to dir, or an error when p lies outside it (the rehearsal's stage
// directories stand for the workdirs only, not a whole image's file system).
func under(dir, p string) (string, error) {
	if p == dir {
		return ".", nil
	}
	if rel, ok := strings.CutPrefix(p, strings.TrimSuffix(dir, "/")+"/"); ok {
		return rel, nil
	}
	return "", fmt.Errorf("%s is outside the stage's WORKDIR %s, which the rehearsal does not model", p, dir)
}

// print writes the plan for scripts/docker-rehearsal.sh, one step a line, fields split by tabs:
//
//	build	copy-context
//	build	run	<command>
//	runtime	copy	<dest>	<dest-is-dir 0|1>	<source>…
//	runtime	cmd	<arg>…
func (p *plan) print(w io.Writer) {
	fmt.Fprintf(w, "build\timage\t%s\n", p.build.image)
	for _, s := range p.build.steps {
		if s.kind == "run" {
			fmt.Fprintf(w, "build\trun\t%s\n", s.run)
		} else {
			fmt.Fprintf(w, "build\t%s\n", s.kind)
		}
	}
	fmt.Fprintf(w, "runtime\timage\t%s\n", p.runtime.image)
	for _, c := range p.runtime.copies {
		dir := "0"
		if c.destDir {
			dir = "1"
		}
		fmt.Fprintf(w, "runtime\tcopy\t%s\t%s\t%s\n", c.dest, dir, strings.Join(c.sources, "\t"))
	}
	fmt.Fprintf(w, "runtime\tcmd\t%s\n", strings.Join(p.runtime.cmd, "\t"))
}

// option gives the value after flag in the runtime CMD, or "" when the flag is absent.
func (p *plan) option(flag string) string {
	for i, a := range p.runtime.cmd {
		if a == flag && i+1 < len(p.runtime.cmd) {
			return p.runtime.cmd[i+1]
		}
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v
		}
	}
	return ""
}
