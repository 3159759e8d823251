package io.hookwarden.cli;

import io.hookwarden.Schemes;
import java.util.Iterator;

/** The built-in scheme ids, for {@code --scheme}'s help and completion. */
final class SchemeIds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Schemes.ids().iterator();
    }
}
