package io.rota.spring.web;

import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Properties under {@code rota.web}: the servlet read-your-writes filter. Not thread-safe while
 * being bound; read-only afterwards.
 */
@ConfigurationProperties("rota.web")
public class RotaWebProperties {

  /** Whether to register the read-your-writes filter in servlet web applications. */
  private boolean readYourWritesFilter = true;

  /** What a request's read-your-writes context is: request, session or user. */
  private ReadYourWritesFilter.Scope readYourWritesScope = ReadYourWritesFilter.Scope.REQUEST;

  /** Creates the properties with their defaults. */
  public RotaWebProperties() {}

  /** Returns whether the filter is registered. */
  public boolean isReadYourWritesFilter() {
    return readYourWritesFilter;
  }

  /** Sets whether the filter is registered. */
  public void setReadYourWritesFilter(boolean readYourWritesFilter) {
    this.readYourWritesFilter = readYourWritesFilter;
  }

  /** Returns the scope of a request's context. */
  public ReadYourWritesFilter.Scope getReadYourWritesScope() {
    return readYourWritesScope;
  }

  /** Sets the scope of a request's context. */
  public void setReadYourWritesScope(ReadYourWritesFilter.Scope readYourWritesScope) {
    this.readYourWritesScope = Objects.requireNonNull(readYourWritesScope, "rota.web.read-your-writes-scope");
  }
}
