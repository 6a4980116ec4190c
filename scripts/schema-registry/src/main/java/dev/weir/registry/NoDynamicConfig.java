package dev.weir.registry;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.List;
import javax.enterprise.inject.Produces;
import javax.inject.Singleton;

/**
 * The list of dynamically changeable settings, empty. Apicurio's config-index extension builds
 * it at build time, but its deployment jar is not served by the Maven Central this project
 * reaches, so the development registry (scripts/schema-registry.sh) runs without dynamic
 * settings, which the schema tests never use.
 */
public class NoDynamicConfig {
  @Produces
  @Singleton
  public DynamicConfigPropertyList dynamicConfigPropertyList() {
    return new DynamicConfigPropertyList(List.of());
  }
}
