package dev.rolloutcontroller.service;

/** The {@code limit} query parameter of a listing: its default when absent, else a 400 naming it outside 1..max. */
public final class PageLimit {

    private PageLimit() {
    }

    public static int of(Integer limit, int defaultSize, int max) {
        int size = limit == null ? defaultSize : limit;
        if (size < 1 || size > max) {
            throw ServiceException.invalid("limit", "between 1 and " + max);
        }
        return size;
    }
}
