package io.solconnect.relay.examples.server;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomSubjectsTest {

    private final RoomSubjects subjects = new RoomSubjects("solconnect.room");

    @Test
    void anyRoomIdIsOneSafeTokenAndComesBack() {
        for (String id : List.of("r", "a.b", "a b", ">", "*", "a.>", "room/1\\2", "ünïcödé 房间", "x".repeat(256))) {
            String subject = subjects.subjectOf(id);
            String token = subject.substring("solconnect.room.".length());
            assertTrue(token.matches("[A-Za-z0-9_-]+"), () -> id + " gave the token " + token);
            assertEquals(Optional.of(id), subjects.roomOf(subject));
        }
        assertNotEquals(subjects.subjectOf("a.b"), subjects.subjectOf("a_b"));
        assertEquals("solconnect.room.>", subjects.allRooms());
    }

    @Test
    void subjectsItDidNotMakeNameNoRoom() {
        assertEquals(Optional.empty(), subjects.roomOf("other.room.cg"));
        assertEquals(Optional.empty(), subjects.roomOf("solconnect.room."));
        assertEquals(Optional.empty(), subjects.roomOf("solconnect.room.not*base64"));
    }
}
