// docker-compose.yml, loaded as `docker compose` loads it (compose-go: schema validation,
// interpolation, normalization, consistency checks), then the facts the README's Kafka
// walk-through relies on, each compared with its source rather than a copy: the Dockerfile's
// CMD (data directory, port, listen address), the README's CREATE SOURCE (the broker address)
// and scripts/kafka.sh (the Kafka version).
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

func checkCompose(repo string) error {
	repo, err := filepath.Abs(repo)
	if err != nil {
		return err
	}
	opts, err := cli.NewProjectOptions([]string{filepath.Join(repo, "docker-compose.yml")},
		cli.WithWorkingDirectory(repo), cli.WithName("weir"), cli.WithResolvedPaths(true))
	if err != nil {
		return err
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		return fmt.Errorf("docker-compose.yml does not load: %v", err)
	}
	plan, err := readPlan(repo)
	if err != nil {
		return err
	}
	readmeBroker, err := readmeBootstrap(repo)
	if err != nil {
		return err
	}
	kafkaVersion, err := scriptKafkaVersion(repo)
	if err != nil {
		return err
	}
	var problems []string
	fail := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }

	weir, err := project.GetService("weir")
	if err != nil {
		return err
	}
	kafka, err := project.GetService("kafka")
	if err != nil {
		return err
	}

	if weir.Build == nil || weir.Build.Context != repo || weir.Build.Dockerfile != "Dockerfile" {
		fail("service weir must build from the repository's Dockerfile (build: .)")
	}
	port := plan.option("--port")
	if port == "" {
		port = "6875" // weir serve's default
	}
	if plan.option("--host") != "0.0.0.0" {
		fail("the Dockerfile's CMD must listen on 0.0.0.0 for a published port to reach it (has %q)", plan.option("--host"))
	}
	if !slices.Contains(plan.runtime.expose, port) {
		fail("the Dockerfile EXPOSEs %v but the CMD listens on %s", plan.runtime.expose, port)
	}
	if !publishes(weir, port, "127.0.0.1", port) {
		fail("service weir must publish 127.0.0.1:%[1]s:%[1]s (the README's psql line); has %s", port, describePorts(weir))
	}
	if section, _ := readmeDockerSection(repo); !strings.Contains(section, "psql -h 127.0.0.1 -p "+port+" ") {
		fail("README.md's Docker section should connect with psql -h 127.0.0.1 -p %s", port)
	}
	dataDir := plan.option("--data-dir")
	if dataDir == "" || !slices.Contains(plan.runtime.volumes, dataDir) {
		fail("the Dockerfile's CMD --data-dir %q must be a VOLUME (has %v)", dataDir, plan.runtime.volumes)
	}
	if !slices.ContainsFunc(weir.Volumes, func(v types.ServiceVolumeConfig) bool {
		return v.Type == types.VolumeTypeVolume && v.Target == dataDir
	}) {
		fail("service weir must mount a named volume at %s (the Dockerfile's --data-dir)", dataDir)
	}
	if dep, ok := weir.DependsOn["kafka"]; !ok || dep.Condition != types.ServiceConditionHealthy {
		fail("service weir must depend on kafka with condition service_healthy")
	}
	if kafka.HealthCheck == nil || kafka.HealthCheck.Disable || len(kafka.HealthCheck.Test) == 0 {
		fail("service kafka needs a healthcheck for weir's depends_on")
	}

	advertised := listeners(env(kafka, "KAFKA_ADVERTISED_LISTENERS"))
	bound := listeners(env(kafka, "KAFKA_LISTENERS"))
	if advertised["INTERNAL"] != readmeBroker {
		fail("kafka advertises INTERNAL://%s but the README's CREATE SOURCE names %s", advertised["INTERNAL"], readmeBroker)
	}
	if hostPort(advertised["INTERNAL"]) != hostPort(bound["INTERNAL"]) {
		fail("kafka listens on INTERNAL %s but advertises %s", bound["INTERNAL"], advertised["INTERNAL"])
	}
	ext := hostPort(advertised["EXTERNAL"])
	if !strings.HasPrefix(advertised["EXTERNAL"], "127.0.0.1:") || !publishes(kafka, ext, "127.0.0.1", hostPort(bound["EXTERNAL"])) {
		fail("kafka advertises EXTERNAL://%s, which must be published on 127.0.0.1 from its EXTERNAL listener %s; has %s",
			advertised["EXTERNAL"], bound["EXTERNAL"], describePorts(kafka))
	}
	image, tag, _ := strings.Cut(kafka.Image, ":")
	if image != "apache/kafka" || tag != kafkaVersion {
		fail("service kafka runs %s but scripts/kafka.sh runs Kafka %s (apache/kafka:%s)", kafka.Image, kafkaVersion, kafkaVersion)
	}

	if len(problems) > 0 {
		return fmt.Errorf("docker-compose.yml:\n  %s", strings.Join(problems, "\n  "))
	}
	fmt.Printf("docker-compose.yml loads (compose-go); weir builds from ., publishes 127.0.0.1:%s, keeps %s in a volume, waits for a healthy kafka; kafka %s advertises %s\n",
		port, dataDir, tag, readmeBroker)
	return nil
}

func publishes(s types.ServiceConfig, published, hostIP, target string) bool {
	return slices.ContainsFunc(s.Ports, func(p types.ServicePortConfig) bool {
		return p.Published == published && p.HostIP == hostIP && fmt.Sprint(p.Target) == target
	})
}

func describePorts(s types.ServiceConfig) string {
	var out []string
	for _, p := range s.Ports {
		out = append(out, fmt.Sprintf("%s:%s:%d", p.HostIP, p.Published, p.Target))
	}
	return fmt.Sprint(out)
}

func env(s types.ServiceConfig, name string) string {
	if v := s.Environment[name]; v != nil {
		return *v
	}
	return ""
}

// listeners maps a listener list ("NAME://host:port,…") by name to host:port.
func listeners(list string) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(list, ",") {
		if name, addr, ok := strings.Cut(strings.TrimSpace(l), "://"); ok {
			out[name] = addr
		}
	}
	return out
}

func hostPort(addr string) string {
	return addr[strings.LastIndex(addr, ":")+1:]
}

var bootstrapRe = regexp.MustCompile(`properties\.bootstrap\.server\s*=\s*'([^']+)'`)

// readmeBootstrap is the broker address in the CREATE SOURCE of README.md's Docker section.
func readmeBootstrap(repo string) (string, error) {
	section, err := readmeDockerSection(repo)
	if err != nil {
		return "", err
	}
	m := bootstrapRe.FindStringSubmatch(section)
	if m == nil {
		return "", fmt.Errorf("README.md's Docker section has no properties.bootstrap.server")
	}
	return m[1], nil
}

func readmeDockerSection(repo string) (string, error) {
	text, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if err != nil {
		return "", err
	}
	_, rest, ok := strings.Cut(string(text), "\n## Kafka, with Docker\n")
	if !ok {
		return "", fmt.Errorf("README.md has no \"## Kafka, with Docker\" section")
	}
	section, _, _ := strings.Cut(rest, "\n## ")
	return section, nil
}

var versionRe = regexp.MustCompile(`(?m)^KAFKA_VERSION=(\S+)`)

func scriptKafkaVersion(repo string) (string, error) {
	text, err := os.ReadFile(filepath.Join(repo, "scripts", "kafka.sh"))
	if err != nil {
		return "", err
	}
	m := versionRe.FindSubmatch(text)
	if m == nil {
		return "", fmt.Errorf("scripts/kafka.sh sets no KAFKA_VERSION")
	}
	return string(m[1]), nil
}
