package com.example.fraud.model;

/** What a rule's decisions do. Wire value: the enum name. */
public enum RuleMode {
    /** Evaluated; alerts go to the alert stream. */
    ACTIVE,
    /** Evaluated like an active rule; alerts go to the shadow-alert stream only, marked SHADOW. */
    SHADOW,
    /** Not evaluated; its state is kept, so resuming it continues open windows. */
    PAUSED
}
