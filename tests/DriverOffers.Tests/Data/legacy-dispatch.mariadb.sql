-- A dispatch office's existing database as the legacy PHP app keeps it (the seed's "Existing tables"), written
-- the way mysqldump shows such tables: its own column names and types, a FK, latin1 on the older table, a zero date,
-- columns and a table this product does not know about.
-- {{PASSWORD_HASH}} becomes a PHP password_hash() bcrypt ($2y$) of LegacyMariaDbFixture.Password.

CREATE TABLE `users` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `username` varchar(50) NOT NULL,
  `email` varchar(100) NOT NULL,
  `password` varchar(255) NOT NULL,
  `full_name` varchar(100) NOT NULL,
  `mobile_number` varchar(20) DEFAULT NULL,
  `role` enum('dispatcher','manager','admin') NOT NULL DEFAULT 'dispatcher',
  `is_active` tinyint(1) NOT NULL DEFAULT 1,
  `created_at` timestamp NOT NULL DEFAULT current_timestamp(),
  `last_login` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `username` (`username`),
  UNIQUE KEY `email` (`email`)
) ENGINE=InnoDB AUTO_INCREMENT=24 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO `users` VALUES
  (15,'vladyslav','vladyslav@dispatch.example','{{PASSWORD_HASH}}','Vladyslav','(312) 555-0115','admin',1,'2023-02-01 09:00:00','2024-05-01 08:00:00'),
  (18,'carl.banks','carl@dispatch.example','{{PASSWORD_HASH}}','Carl Banks','(312) 555-0118','dispatcher',1,'2023-03-14 10:30:00',NULL),
  (20,'leo.durand','leo@dispatch.example','{{PASSWORD_HASH}}','Leo Durand',NULL,'dispatcher',1,'2023-06-02 12:00:00',NULL),
  (21,'michael','michael@dispatch.example','{{PASSWORD_HASH}}','Michael','(312) 555-0121','admin',1,'2023-07-20 15:45:00',NULL),
  (22,'jacob.foster','jacob@dispatch.example','{{PASSWORD_HASH}}','Jacob Foster','(312) 555-0122','manager',1,'2024-01-08 07:15:00',NULL),
  (23,'old.timer','old.timer@dispatch.example','{{PASSWORD_HASH}}','Old Timer',NULL,'dispatcher',0,'2019-11-11 11:11:11',NULL);

CREATE TABLE `Trucks` (
  `ID` int(11) NOT NULL AUTO_INCREMENT,
  `TruckNumber` varchar(20) DEFAULT NULL,
  `Status` varchar(50) DEFAULT 'Available',
  `DriverName` varchar(100) DEFAULT NULL,
  `CellPhone` varchar(20) DEFAULT NULL,
  `CityStateZip` varchar(100) DEFAULT NULL,
  `Dimensions` varchar(100) DEFAULT NULL,
  `rate` varchar(20) DEFAULT NULL,
  `mail` varchar(100) DEFAULT NULL,
  `latitude` decimal(10,8) DEFAULT NULL,
  `longitude` decimal(11,8) DEFAULT NULL,
  `assigned_dispatcher_id` int(11) DEFAULT NULL,
  `isActive` tinyint(4) NOT NULL DEFAULT 1,
  `updated_at` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  `Notes` text DEFAULT NULL,
  PRIMARY KEY (`ID`),
  KEY `idx_active_status` (`isActive`,`Status`),
  KEY `fk_trucks_dispatcher` (`assigned_dispatcher_id`),
  CONSTRAINT `fk_trucks_dispatcher` FOREIGN KEY (`assigned_dispatcher_id`) REFERENCES `users` (`id`) ON DELETE SET NULL
) ENGINE=InnoDB AUTO_INCREMENT=131 DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci;

INSERT INTO `Trucks` VALUES
  (107,'107','Available','Nwee Ler','(779) 513-2475','Rockford, IL 61101','53'' Dry Van','2.10','nwee.ler@example.com',42.27113900,-89.09399600,18,1,'2024-06-01 14:00:00','Prefers Midwest'),
  (120,'120','Available','Rodney Bowles','(631) 994-0587','Weehawken, NJ 07086','26'' Box Truck','$2.35/mi','rodney@example.com',40.76954000,-74.02042000,18,1,'2024-06-01 14:05:00',NULL),
  (122,'122','Available','Hebert Rodríguez','(615) 930-4098','Smyrna, TN 37167','Sprinter Van','1.90',NULL,35.98284000,-86.51863000,20,1,'2024-06-02 08:00:00',NULL),
  (125,'125','On Load','Dana Whitfield','(414) 555-0125','Milwaukee, WI','48'' Flatbed',NULL,'dana@example.com',NULL,NULL,NULL,1,'2024-06-02 09:30:00',NULL),
  (130,'130','Inactive','Former Driver',NULL,NULL,NULL,NULL,NULL,NULL,NULL,22,0,'0000-00-00 00:00:00','Left in 2022');

-- Something else the dispatch app owns; the product neither reads nor touches it.
CREATE TABLE `loads` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `truck_id` int(11) DEFAULT NULL,
  `description` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
