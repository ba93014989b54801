/*
 * The drain handshake and Lease takeover of the sharding protocol, for SPIN.
 * Checked exhaustively by Tests/CoordinationTests/SpinModelTests.swift
 * (spin -a handoff.pml; gcc -O2 -DSAFETY -o pan pan.c; ./pan -m100000 → "errors: 0").
 * Assumptions are listed in ASSUMPTIONS.md next to this file.
 */

#define R 2          /* replicas (pods) */
#define O 2          /* objects */
#define NONE 2       /* no shard label */

/* Lease holder states of a shard Lease. */
#define HELD 0
#define RELEASED 1
#define TAKEN 2

/* --- the API server --- */
byte label[O];       /* k8supdater.io/shard: 0, 1 or NONE */
bool drain[O];       /* k8supdater.io/drain */
/* resourceVersions are abstracted exactly for compare-and-swap: every change of an object marks
   every pending read of it stale, and a guarded write succeeds only when its read is not stale. */
byte holder[R];      /* the shard Lease's holder state */

/* --- the replicas --- */
bool alive[R];
bool leading[R];     /* holds its Lease and is before its renew deadline */
bool work[R*O];      /* in-flight reconcile of object o on replica r: work[r*O+o] */
bool workStale[R*O]; /* the object changed since that reconcile read it */
byte pendingObject[2] = NONE; /* the object a coordinator read and is deciding on */
bool pendingStale[2];

/* An object changed: its resourceVersion moved, so every earlier read of it is stale. */
inline touch(o) {
    workStale[o] = true; workStale[O+o] = true;
    if :: pendingObject[0] == o -> pendingStale[0] = true :: else -> skip fi;
    if :: pendingObject[1] == o -> pendingStale[1] = true :: else -> skip fi
}

byte budget = 3;     /* bounds reconcile writes, so the state space is finite */
byte disruptions = 3;/* bounds crashes, SIGTERMs, stalls and restarts */

/* HRW over the available replicas, abstracted: object o prefers replica o when it is available. */
inline desired(o, result) {
    if
    :: holder[o] == HELD -> result = o
    :: else ->
        if
        :: holder[1 - o] == HELD -> result = 1 - o
        :: else -> result = NONE
        fi
    fi
}

proctype Replica(byte r) {
    byte o;
end:
    do
    /* Acquire (or re-acquire with a new incarnation) the shard Lease: only once the previous holder of
       it has stopped (a released or taken-over Lease, or an expired one whose holder has fenced). */
    :: atomic { alive[r] && !leading[r] && !work[r*O] && !work[r*O+1] -> holder[r] = HELD; leading[r] = true }

    /* Start reconciling an object labelled for this shard (never while draining). */
    :: atomic { leading[r] -> select(o : 0 .. O-1);
        if
        :: label[o] == r && !drain[o] && !work[r*O+o] ->
            assert(!(leading[1-r] && work[(1-r)*O+o]));       /* I1 */
            work[r*O+o] = true; workStale[r*O+o] = false
        :: else -> skip
        fi }

    /* Finish a reconcile: the write is guarded by the resourceVersion it read. A replica that is no
       longer leading may still get here (a late writer after a stall): the precondition must stop it. */
    :: atomic { budget > 0 -> select(o : 0 .. O-1);
        if
        :: work[r*O+o] ->
            if
            :: !workStale[r*O+o] ->
                assert(label[o] == r && !drain[o]);             /* I2 */
                touch(o); budget--
            :: else -> skip                                     /* 409: nothing changes */
            fi;
            work[r*O+o] = false
        :: else -> skip
        fi }

    /* Acknowledge a drain: cancel the object's work, then remove both labels (guarded). */
    :: atomic { leading[r] -> select(o : 0 .. O-1);
        if
        :: label[o] == r && drain[o] ->
#ifndef MUTANT_ACK_WITHOUT_CANCEL
            work[r*O+o] = false;
#endif
            label[o] = NONE; drain[o] = false; touch(o)
        :: else -> skip
        fi }

    /* Renew deadline passed (partition or stall): stop leading. The watchdog cancels the work, or the
       process is stalled and its work stays in memory until it resumes. */
    :: atomic { leading[r] && disruptions > 0 -> leading[r] = false; disruptions--;
        if
        :: work[r*O] = false; work[r*O+1] = false
        :: skip
        fi }
    /* A stalled process resumes: the watchdog runs first and cancels what is left. */
    :: atomic { !leading[r] && (work[r*O] || work[r*O+1]) -> work[r*O] = false; work[r*O+1] = false }

    /* SIGTERM: finish or cancel in-flight work, release the Lease (holder ""), exit. */
    :: atomic { leading[r] && disruptions > 0 ->
        work[r*O] = false; work[r*O+1] = false; leading[r] = false; holder[r] = RELEASED; alive[r] = false;
        disruptions-- }
    /* SIGKILL: the process and its work vanish; the Lease stays as it was until taken over. */
    :: atomic { alive[r] && disruptions > 0 ->
        work[r*O] = false; work[r*O+1] = false; leading[r] = false; alive[r] = false; disruptions-- }
    /* The StatefulSet restarts the pod (same name, new incarnation). */
    :: atomic { !alive[r] && disruptions > 0 -> alive[r] = true; disruptions-- }
    od
}

/* The coordinator. Each decision reads an object at a resourceVersion and writes later, guarded by it;
   `c` distinguishes two coordinators (an old one not yet fenced and its successor), whose pending
   decisions may interleave arbitrarily. */
proctype Coordinator(byte c) {
    byte o, want;
end:
    do
    /* Read an object (the decision is taken on what was read) ... */
    :: atomic { pendingObject[c] == NONE -> select(o : 0 .. O-1); pendingObject[c] = o; pendingStale[c] = false }
    /* ... and write later, guarded by that read; a 409 drops the decision. */
    :: atomic { pendingObject[c] != NONE -> o = pendingObject[c]; pendingObject[c] = NONE;
        if
        :: pendingStale[c] -> skip                                  /* 409 */
        :: else ->
            desired(o, want);
            if
            /* unlabelled → assign */
            :: label[o] == NONE && want != NONE -> label[o] = want; drain[o] = false; touch(o)
            /* owner dead (released or taken over) → move in one patch */
            :: label[o] != NONE && holder[label[o]] != HELD && want != NONE ->
                label[o] = want; drain[o] = false; touch(o)
            /* owner alive but not the HRW choice → drain */
            :: label[o] != NONE && holder[label[o]] == HELD && want != label[o] && !drain[o] ->
                drain[o] = true; touch(o)
            /* draining but desired again → cancel the drain */
            :: label[o] != NONE && holder[label[o]] == HELD && want == label[o] && drain[o] ->
                drain[o] = false; touch(o)
            :: else -> skip
            fi
        fi;
        want = 0; o = 0 }
    /* Take over an expired shard Lease. Timing assumption: lease duration + grace after the last
       observed renewal exceeds retry period + renew deadline, so its holder has stopped leading. */
    :: atomic { (holder[0] == HELD && !leading[0]) || (holder[1] == HELD && !leading[1]) ->
        if
        :: holder[0] == HELD && !leading[0] -> holder[0] = TAKEN
        :: holder[1] == HELD && !leading[1] -> holder[1] = TAKEN
        fi }
    od
}

init {
    atomic {
        label[0] = NONE; label[1] = NONE;
        holder[0] = RELEASED; holder[1] = RELEASED;
        alive[0] = true; alive[1] = true;
        run Replica(0); run Replica(1); run Coordinator(0); run Coordinator(1)
    }
}
