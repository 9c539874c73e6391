package dev.meridian.chaos.cluster;

/**
 * The link between two regions' network namespaces, which the partition and slow-link nemeses act on.
 * Each method returns what it did (the commands), for the history.
 */
public interface Network extends AutoCloseable {

  /** Cuts the link: packets between the regions are dropped, both ways. */
  String cut() throws Exception;

  /** Degrades the link: delay and loss (netem), or a narrow queue when the kernel has no netem. */
  String slow() throws Exception;

  /** Restores the link to full health. */
  String restore() throws Exception;

  @Override
  void close();
}
