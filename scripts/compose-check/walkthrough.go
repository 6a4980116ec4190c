// The Kafka walk-through of README.md's Docker section, taken apart for the rehearsal to replay:
// the records the console producer is given, each psql statement (continuation lines joined, a
// trailing `-- comment` dropped) with the output the README shows under it, the broker address
// and topic its CREATE SOURCE names, and the partition count the compose broker gives a new topic.
package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

type statement struct {
	sql    string
	expect []string
}

type walkthrough struct {
	records    []string
	statements []*statement
	broker     string
	topic      string
	partitions string
}

var (
	topicRe   = regexp.MustCompile(`\btopic\s*=\s*'([^']+)'`)
	commentRe = regexp.MustCompile(`\s+--\s.*$`)
)

func readWalkthrough(repo string) (*walkthrough, error) {
	section, err := readmeDockerSection(repo)
	if err != nil {
		return nil, err
	}
	_, block, ok := strings.Cut(section, "```\n")
	if ok {
		block, _, ok = strings.Cut(block, "```")
	}
	if !ok {
		return nil, fmt.Errorf("README.md's Docker section has no code block")
	}
	w := &walkthrough{}
	var open *statement // a statement still waiting for its semicolon
	var last *statement // the last complete one, which output lines belong to
	for _, line := range strings.Split(strings.TrimRight(block, "\n"), "\n") {
		switch {
		case open != nil:
			open.sql += " " + strings.TrimSpace(commentRe.ReplaceAllString(line, ""))
		case strings.HasPrefix(line, "weir=> "):
			open = &statement{sql: strings.TrimSpace(commentRe.ReplaceAllString(strings.TrimPrefix(line, "weir=> "), ""))}
		case strings.HasPrefix(line, "> "):
			w.records = append(w.records, strings.TrimPrefix(line, "> "))
			continue
		case strings.HasPrefix(line, "$ "), line == "(Ctrl-D)":
			last = nil
			continue
		case last != nil:
			last.expect = append(last.expect, line)
			continue
		default:
			return nil, fmt.Errorf("README.md's Docker section: a line the rehearsal cannot place: %q", line)
		}
		if strings.HasSuffix(open.sql, ";") {
			open.sql = strings.TrimSuffix(open.sql, ";")
			w.statements = append(w.statements, open)
			last, open = open, nil
		}
	}
	if open != nil {
		return nil, fmt.Errorf("README.md's Docker section: a statement without its semicolon: %q", open.sql)
	}
	for _, s := range w.statements {
		if m := bootstrapRe.FindStringSubmatch(s.sql); m != nil {
			w.broker = m[1]
		}
		if m := topicRe.FindStringSubmatch(s.sql); m != nil {
			w.topic = m[1]
		}
	}
	if w.broker == "" || w.topic == "" || len(w.records) == 0 {
		return nil, fmt.Errorf("README.md's Docker section: expected a CREATE SOURCE naming a broker and topic, and records to produce")
	}
	opts, err := cli.NewProjectOptions([]string{filepath.Join(repo, "docker-compose.yml")},
		cli.WithWorkingDirectory(repo), cli.WithName("weir"))
	if err != nil {
		return nil, err
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		return nil, err
	}
	kafka, err := project.GetService("kafka")
	if err != nil {
		return nil, err
	}
	w.partitions = env(kafka, "KAFKA_NUM_PARTITIONS")
	if w.partitions == "" {
		w.partitions = "1" // the broker's default num.partitions
	}
	return w, nil
}

// print writes the walk-through for scripts/docker-rehearsal.sh, one item a line, split by tabs:
// broker, topic, partitions, record <json>, sql <statement>, expect <output line>.
func (w *walkthrough) print(out io.Writer) {
	fmt.Fprintf(out, "broker\t%s\ntopic\t%s\npartitions\t%s\n", w.broker, w.topic, w.partitions)
	for _, r := range w.records {
		fmt.Fprintf(out, "record\t%s\n", r)
	}
	for _, s := range w.statements {
		fmt.Fprintf(out, "sql\t%s\n", s.sql)
		for _, e := range s.expect {
			fmt.Fprintf(out, "expect\t%s\n", e)
		}
	}
}
