package dev.rolloutcontroller.security;

import java.util.Arrays;
import java.util.Optional;

/** What a token may do. {@code admin} may do everything; every role may read. */
public enum Role {
    ADMIN("admin"),
    OPERATOR("operator"),
    REPORTER("reporter"),
    READER("reader"),
    QA_LEAD("qa-lead"),
    TECH_LEAD("tech-lead"),
    DEVOPS("devops"),
    PRODUCT("product"),
    SECURITY("security");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Role> fromWireName(String name) {
        return Arrays.stream(values()).filter(role -> role.wireName.equals(name)).findFirst();
    }
}
