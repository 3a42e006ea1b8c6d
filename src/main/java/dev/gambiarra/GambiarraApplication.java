package dev.gambiarra;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class GambiarraApplication {

	public static void main(String[] args) {
		SpringApplication.run(GambiarraApplication.class, args);
	}

}
