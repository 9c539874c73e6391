package dev.meridian.persistence;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/** Every row of an asynchronous result, page after page (the driver fetches a page at a time). */
final class Pages {

  private Pages() {}

  /** Gives {@code each} every row, on the driver's threads; completes after the last page. */
  static CompletionStage<Void> forEachRow(AsyncResultSet rs, Consumer<Row> each) {
    for (Row row : rs.currentPage()) each.accept(row);
    return rs.hasMorePages() ? rs.fetchNextPage().thenCompose(next -> forEachRow(next, each))
        : CompletableFuture.completedFuture(null);
  }

  /** Every row, mapped, in order. */
  static <T> CompletionStage<List<T>> collect(AsyncResultSet rs, Function<Row, T> map) {
    List<T> out = new ArrayList<>();
    return forEachRow(rs, row -> out.add(map.apply(row))).thenApply(x -> out);
  }
}
