// compose-check: the parts of `docker build` and `docker compose up` that can be checked on a
// machine with no Docker engine, with the libraries Docker itself uses. It is run by
// scripts/docker-rehearsal.sh (step 0 and the build steps); see README.md's Docker section.
//
//	go run . compose REPO            load REPO/docker-compose.yml as `docker compose` does
//	                                 (compose-go) and check what the README's walk-through needs
//	go run . dockerfile REPO         print the Dockerfile's build plan (BuildKit's parser), one
//	                                 tab-separated step a line, for the shell to run
//	go run . walkthrough REPO        print README.md's Kafka walk-through: records, statements and
//	                                 the output it shows, one tab-separated item a line
//	go run . context REPO DEST       copy the build context (REPO less .dockerignore's patterns,
//	                                 matched by moby/patternmatcher) into DEST
//
// Every failure is one line on stderr starting "compose-check:" and exit status 1.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "compose-check: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return usage()
	}
	switch args[0] {
	case "compose":
		if len(args) != 2 {
			return usage()
		}
		return checkCompose(args[1])
	case "dockerfile":
		if len(args) != 2 {
			return usage()
		}
		plan, err := readPlan(args[1])
		if err != nil {
			return err
		}
		plan.print(os.Stdout)
		return nil
	case "walkthrough":
		if len(args) != 2 {
			return usage()
		}
		w, err := readWalkthrough(args[1])
		if err != nil {
			return err
		}
		w.print(os.Stdout)
		return nil
	case "context":
		if len(args) != 3 {
			return usage()
		}
		return copyContext(args[1], args[2])
	default:
		return usage()
	}
}

func usage() error {
	return fmt.Errorf("usage: compose-check compose REPO | dockerfile REPO | walkthrough REPO | context REPO DEST")
}
