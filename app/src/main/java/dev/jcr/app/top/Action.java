package dev.jcr.app.top;

/** What a key does on the main screen. */
public enum Action {
    UP, DOWN, PAGE_UP, PAGE_DOWN, HOME, END,
    DETAILS, PANE, DUMP, IMAGES, HELP, SEARCH, NEXT_MATCH, FILTER, TREE, SORT_PREVIOUS, SORT_NEXT, SORT_INVERT,
    SIGNAL, THEME, COMMAND, MESSAGE, REFRESH, BACK, QUIT
}
