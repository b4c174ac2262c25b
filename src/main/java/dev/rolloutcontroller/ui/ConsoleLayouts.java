package dev.rolloutcontroller.ui;

import dev.rolloutcontroller.security.Caller;
import dev.rolloutcontroller.security.CurrentCaller;
import dev.rolloutcontroller.security.CurrentConsoleSession;
import dev.rolloutcontroller.security.Role;
import dev.rolloutcontroller.ui.Views.Layout;

import java.util.stream.Collectors;

/** The page frame for the signed-in (or signed-out) holder of the current request. */
final class ConsoleLayouts {

    private ConsoleLayouts() {
    }

    static Layout of(String title, CurrentCaller caller, CurrentConsoleSession session) {
        Caller who = caller.get();
        String roles = who.roles().stream().map(Role::wireName).sorted().collect(Collectors.joining(", "));
        return new Layout(title, who.name(), roles, session.csrfToken(), true, who.may(Role.ADMIN));
    }

    static Layout signedOut(String title) {
        return new Layout(title, "", "", "", false, false);
    }
}
